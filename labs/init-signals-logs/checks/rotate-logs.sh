# Task rotate-logs: the Compose service chatty in /root/logs keeps its logs in at most 3 files
# of 1 MB (json-file or local), set in its own logging: section, not the engine's defaults
# (the sandbox's daemon.json sets json-file with 5m and 2 files for every container), and
# rotation has really dropped its oldest lines.
c=$(compose_running /root/logs chatty) || fail "$c"
read -r type opts < <(docker container inspect -f '{{.HostConfig.LogConfig.Type}} {{json .HostConfig.LogConfig.Config}}' "$c")
size=$(jq -r '."max-size" // ""' <<<"$opts")
files=$(jq -r '."max-file" // ""' <<<"$opts")
case "$type" in
  json-file | local) ;;
  none) fail "\"chatty\" uses the log driver none: it keeps no logs at all, and docker logs shows nothing." ;;
  *) fail "\"chatty\" uses the log driver $type: use json-file or local, which docker logs can read." ;;
esac
[ "$type:$size:$files" != json-file:5m:2 ] ||
  fail "\"chatty\" has no logging settings of its own: it runs with the engine's defaults from daemon.json (json-file, 5m, 2 files). Logging settings apply when a container is created: docker compose up -d recreates it, docker compose restart does not."
bytes() { # 1m, 1000k, 1MB, 1000000 -> bytes (Docker reads these units as powers of 1000)
  local v=${1,,}
  v=${v%b}
  case "$v" in
    *k) echo $(( ${v%k} * 1000 )) ;;
    *m) echo $(( ${v%m} * 1000 * 1000 )) ;;
    *g) echo $(( ${v%g} * 1000 * 1000 * 1000 )) ;;
    *) echo $(( v )) ;;
  esac 2>/dev/null
}
[ -n "$size" ] || fail "\"chatty\" sets no max-size: the $type driver then uses its own default file size."
b=$(bytes "$size")
# 1 MB, whichever way it is written: 1m, 1000k, 1024k, 1048576.
[ -n "$b" ] && [ "$b" -ge 1000000 ] && [ "$b" -le 1048576 ] || fail "\"chatty\" starts a new log file every $size, not every 1 MB."
if [ -z "$files" ]; then
  [ "$type" = local ] && fail "\"chatty\" sets no max-file: the local driver then keeps its default of 5 files, not 3."
  fail "\"chatty\" sets no max-file."
fi
if [ "$files" != 3 ]; then
  [ "$type" = json-file ] && [ "$files" = 2 ] &&
    fail "\"chatty\" keeps 2 log files, not 3: that 2 is the engine's default from daemon.json, which fills in what the service does not set."
  fail "\"chatty\" keeps $files log files, not 3."
fi
# Rotation, from the logs themselves: the first line docker logs still has.
first=$(docker logs "$c" 2>&1 | head -n 1)
[[ $first =~ ^chatty\ line\ 0*([0-9]+): ]] ||
  fail "The logs of \"chatty\" do not start with one of its numbered lines. Did its command change?"
n=${BASH_REMATCH[1]}
[ "$n" -gt 1 ] ||
  fail "The logs of \"chatty\" still start at line 1: nothing has been rotated away yet."
# And from the files, where the checker can see the engine's data (it is mounted read-only).
dir=/var/lib/docker/containers/$(docker container inspect -f '{{.Id}}' "$c")
if [ -d "$dir" ]; then
  if [ "$type" = local ]; then
    count=$(find "$dir/local-logs" -maxdepth 1 -name 'container.log*' 2>/dev/null | wc -l)
  else
    count=$(find "$dir" -maxdepth 1 -name '*-json.log*' 2>/dev/null | wc -l)
  fi
  [ "$count" -le 3 ] || fail "\"chatty\" has $count log files on disk, more than 3."
fi
pass "chatty keeps 3 files of 1 MB: lines 1 to $((n - 1)) have been rotated away."
