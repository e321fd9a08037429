# Task reaper: "reaper" runs the orphan-making command from debian with Docker's init as
# PID 1, and, seconds after the orphaned `sleep 1` has ended, no process in it is a zombie:
# docker-init collected it. (Without an init, PID 1 is `sleep infinity`, which never does.)
want="sh -c (sleep 1 &); exec sleep infinity"
state=$(container_state reaper)
[ -n "$state" ] || fail "There is no container named \"reaper\" yet."
case "$(container_image reaper)" in
  debian | debian:latest | debian:trixie) ;;
  *) fail "The container \"reaper\" runs $(container_image reaper), not the debian image." ;;
esac
read -r init started cmd < <(docker container inspect -f '{{json .HostConfig.Init}} {{.State.StartedAt}} {{join .Config.Cmd " "}}' reaper)
[ "$cmd" = "$want" ] || fail "\"reaper\" runs \"$cmd\", not \"$want\"."
[ "$state" = running ] || fail "The container \"reaper\" is $state, not running: keep it running, so its processes can be seen."
[ $(( $(date +%s) - $(date -d "$started" +%s) )) -ge 2 ] ||
  fail "\"reaper\" started less than 2 seconds ago: give the orphaned sleep 1 time to end, then check again."
# Each process's name and state, read from inside the container: "PID NAME STATE".
procs=$(docker exec reaper sh -c 'for f in /proc/[0-9]*/status; do
  p=${f#/proc/}; echo "${p%/status} $(sed -n "s/^Name:[[:space:]]*//p" "$f") $(sed -n "s/^State:[[:space:]]*//p" "$f")"
done' 2>/dev/null) || fail "Cannot look at the processes inside \"reaper\" (docker exec failed)."
zombie=$(awk '$3 == "Z" { print $1 " (" $2 ")"; exit }' <<<"$procs")
pid1=$(awk '$1 == 1 { print $2 }' <<<"$procs")
if [ "$init" != true ]; then
  [ -z "$zombie" ] || fail "\"reaper\" has no init: its PID 1 is $pid1, which never collects orphaned children, and process $zombie is a zombie."
  fail "\"reaper\" has no init: its PID 1 is $pid1."
fi
[ "$pid1" = docker-init ] || fail "\"reaper\" was created with an init, but its PID 1 is $pid1, not docker-init."
[ -z "$zombie" ] || fail "\"reaper\" still has a zombie, process $zombie."
pass "reaper's PID 1 is docker-init, and it collected the orphaned sleep: no zombies."
