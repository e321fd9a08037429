# Prelude of every check. The runner sends it, then the task's script, to `bash -c` in the
# sandbox's checker: a container beside the sandbox with its network, its engine (DOCKER_HOST)
# and the learner's home (/root, read-only), whose tools and files the learner cannot touch.
# Exit 0 passes; `fail "reason"` exits 1 and its words are what the learner reads, so say what
# is wrong without giving the answer away.
set -u
export DOCKER_CLI_HINTS=false LC_ALL=C.UTF-8

fail() { printf '%s\n' "$*"; exit 1; }
pass() { [ $# -gt 0 ] && printf '%s\n' "$*"; exit 0; }
# The sandbox's processes, "PID ARGS" a line, as its machine sees them: the checker has its own
# process table. (The learner can name a process as they like; argv is no proof of anything.)
sandbox_processes() { printf '%s\n' "${SLIPWAY_SANDBOX_PROCESSES-}"; }
# Set by the batch when the engine's socket is not the one the first round saw (check-batch.ts).
[ -z "${SLIPWAY_ENGINE_REPLACED-}" ] ||
  fail "The Docker engine's socket in this sandbox was replaced since it started, so no check can trust what it says. Restart the lab for a fresh sandbox."

# The engine's view, read once per round of checks: the helpers below answer from a snapshot
# of the learner's engine API (one request and one jq per kind, kept in the round's directory
# and shared by its checks) instead of starting the docker CLI per question, which costs
# ~80 ms of CPU per process in a sandbox. The request goes through `nc` (7 ms to start here)
# rather than curl (27 ms, for all the libraries it loads). A check that needs another view
# calls docker itself.
_sock=${DOCKER_HOST:-unix:///var/run/docker.sock}
_sock=${_sock#unix://}
_engine_get() { # PATH JQ: the engine's JSON answer to GET PATH, through JQ; fails unless 200
  printf 'GET %s HTTP/1.0\r\nHost: engine\r\n\r\n' "$1" | nc -U -w 5 "$_sock" 2>/dev/null | {
    local line
    IFS= read -r line && [[ $line == "HTTP/1."?" 200 "* ]] || exit 1
    while IFS= read -r line && [ -n "${line%$'\r'}" ]; do :; done
    jq -r "$2"
  }
}
_snapshot() { # KIND URL JQ: sources $SLIPWAY_ROUND_DIR/KIND.sh, fetching it first if missing
  local f="${SLIPWAY_ROUND_DIR:?}/$1.sh" view
  # An engine that does not answer gives an empty view (no containers), as the docker CLI
  # would, and is asked again by the next check.
  [ -e "$f" ] || { view=$(_engine_get "$2" "$3") && printf '%s\n' "$view" >"$f"; } || return 0
  . "$f"
}
declare -A C_NAME=() C_STATE=() C_IMAGE=() C_PORTS=() C_MOUNTS=() C_EXIT=() C_HEALTH=() C_COMPOSE=() C_DEPENDS=()
declare -A V_EXISTS=()
_containers() {
  [ -n "${_containers_loaded:-}" ] && return
  _containers_loaded=1
  # One assignment per (container name, fact), and C_NAME from ID to name. The list comes newest first and is read
  # backwards, so for a Compose service the newest container wins, as in `docker ps`.
  _snapshot containers '/containers/json?all=1' 'reverse[] | . as $c | ($c.Labels // {}) as $l
    | ($c.Names[0] | ltrimstr("/") | @sh) as $k
    | "C_NAME[\($c.Id | @sh)]=\($k)",
      "C_STATE[\($k)]=\($c.State | @sh)",
      "C_IMAGE[\($k)]=\($c.Image | @sh)",
      "C_PORTS[\($k)]=\([$c.Ports[]? | select(.PublicPort) | " \(.PrivatePort)/\(.Type)=\(.PublicPort) "] | join("") | @sh)",
      "C_MOUNTS[\($k)]=\([$c.Mounts[]? | "\(.Destination)\t\(if (.Name // "") != "" then .Name else .Source end)\n"] | join("") | @sh)",
      "C_DEPENDS[\($k)]=\($l["com.docker.compose.depends_on"] // "" | @sh)",
      ($c.Status | capture("^Exited \\((?<x>-?[0-9]+)\\)") | "C_EXIT[\($k)]=\(.x | @sh)"),
      ($c.Status | capture("\\((health: )?(?<h>healthy|unhealthy|starting)\\)") | "C_HEALTH[\($k)]=\(.h | @sh)"),
      (select($l["com.docker.compose.oneoff"] == "False" and $l["com.docker.compose.service"] != null)
        | "C_COMPOSE[\($l["com.docker.compose.project.working_dir"] + "\t" + $l["com.docker.compose.service"] | @sh)]=\($k)")'
}

# _resolve NAME-OR-ID: sets _k to the container's name, as docker resolves it (a name, or a
# unique prefix of an ID), or to / (no container can be named that) when there is none.
_resolve() {
  _containers
  _k=/
  [ -n "$1" ] || return 0
  [ -n "${C_STATE[$1]+set}" ] && { _k=$1; return; }
  case "$1" in *[!0-9a-f]*) return 0 ;; esac
  local id
  for id in "${!C_NAME[@]}"; do
    [[ $id == "$1"* ]] || continue
    [ "$_k" = / ] || { _k=/; return 0; } # ambiguous
    _k=${C_NAME[$id]}
  done
}

# container_state NAME: created, running, exited, ... or nothing when there is no such container.
container_state() { _resolve "$1"; printf '%s' "${C_STATE[$_k]:-}"; }

# require_running NAME: fails with a learner-facing reason unless NAME is running.
require_running() {
  local s
  s=$(container_state "$1")
  [ -n "$s" ] || fail "There is no container named \"$1\" yet."
  [ "$s" = running ] || fail "The container \"$1\" exists but is $s, not running."
}

# container_image NAME: the image the container was created from, as typed (e.g. nginx).
container_image() { _resolve "$1"; printf '%s' "${C_IMAGE[$_k]:-}"; }

# container_exit_code NAME: the exit code of a container that has exited, else nothing.
container_exit_code() { _resolve "$1"; printf '%s' "${C_EXIT[$_k]:-}"; }

# container_health NAME: healthy, unhealthy or starting; nothing without a health check.
container_health() { _resolve "$1"; printf '%s' "${C_HEALTH[$_k]:-}"; }

# host_port NAME PORT/PROTO: the host port published for a container port, or nothing.
host_port() {
  _resolve "$1"
  local p=${C_PORTS[$_k]:-}
  case "$p" in *" $2="*) p=${p#*" $2="}; printf '%s' "${p%% *}" ;; esac
}

# mount_source NAME DEST: the volume name (or host path) mounted at DEST in the container.
mount_source() {
  _resolve "$1"
  local dest src
  while IFS=$'\t' read -r dest src; do
    [ "$dest" = "$2" ] && { printf '%s' "$src"; return; }
  done <<<"${C_MOUNTS[$_k]:-}"
}

volume_exists() {
  [ -n "${_volumes_loaded:-}" ] || { _volumes_loaded=1; _snapshot volumes /volumes '.Volumes[]?.Name | "V_EXISTS[\(@sh)]=1"'; }
  [ -n "${V_EXISTS[$1]:-}" ]
}

# http_status URL: the HTTP status code, or 000 when nothing answers. A URL on this machine
# (localhost, 127.0.0.1) is asked through bash's own /dev/tcp, sparing a curl (27 ms to start
# here); any other through curl, which can give up on a connection that hangs.
http_status() {
  local re='^http://(localhost|127\.0\.0\.1)(:([0-9]+))?(/[^[:space:]]*)?$' fd line
  if [[ $1 =~ $re ]]; then
    local port=${BASH_REMATCH[3]:-80} path=${BASH_REMATCH[4]:-/}
    if { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
      printf 'GET %s HTTP/1.0\r\nHost: localhost:%s\r\n\r\n' "$path" "$port" >&"$fd" 2>/dev/null
      IFS= read -r -t 3 line <&"$fd" || line=
      exec {fd}>&-
      if [[ $line =~ ^HTTP/[0-9.]+\ ([0-9][0-9][0-9]) ]]; then
        printf '%s' "${BASH_REMATCH[1]}"
        return
      fi
    fi
    printf '000'
    return
  fi
  curl -s -o /dev/null -m 3 -w '%{http_code}' "$1" 2>/dev/null || true
}

# compose_container DIR SERVICE: the container of a Compose service of the project in DIR
# (not a one-off `compose run`), or nothing.
compose_container() { _containers; printf '%s' "${C_COMPOSE[$1$'\t'$2]:-}"; }

# pinned_service_on SERVICE DIR NETWORK: sets C to the running container of Compose service
# SERVICE started from DIR, on NETWORK, with a pinned image tag; otherwise fails saying which.
pinned_service_on() {
  C=$(compose_container "$2" "$1")
  if [ -z "$C" ]; then
    local elsewhere
    elsewhere=$(docker ps -a --filter "label=com.docker.compose.service=$1" \
      --format '{{.Label "com.docker.compose.project.working_dir"}}' | head -n 1)
    [ -z "$elsewhere" ] || fail "$1 runs from a Compose project in $elsewhere, not from $2."
    fail "No Compose service called $1 runs from $2 yet."
  fi
  local s image nets
  s=$(container_state "$C")
  [ "$s" = running ] || fail "The $1 service exists but is $s, not running: look at its logs."
  nets=$(docker container inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$C")
  case " $nets" in
    *" $3 "*) ;;
    *) fail "$1 is running on ${nets% }, not on $3. (After changing the networks of a file, recreate its containers: Compose keeps running ones.)" ;;
  esac
  image=$(container_image "$C")
  case "${image##*/}" in
    *:latest) fail "$1 runs $image: pin a version tag instead of latest." ;;
    *:* | *@*) ;;
    *) fail "$1 runs $image without a tag, which means latest: pin a version tag." ;;
  esac
}

# compose_running DIR SERVICE: prints the running container of SERVICE; otherwise prints why
# and fails (use as: c=$(compose_running /root/app web) || fail "$c"). A container that was
# created but never started has no logs: when Compose holds it back for a service it depends
# on, the reason names that service and what is wrong with it.
compose_running() {
  local c s why
  c=$(compose_container "$1" "$2")
  [ -n "$c" ] || fail "There is no Compose service named \"$2\" in $1 yet (docker compose ps shows what runs)."
  s=$(container_state "$c")
  [ "$s" = running ] && { printf "%s" "$c"; return 0; }
  [ "$s" = created ] || fail "The container of service \"$2\" ($c) is $s, not running. docker compose logs $2 shows why."
  why=$(_compose_held_back "$1" "$c")
  [ -z "$why" ] || fail "The container of service \"$2\" ($c) has not started: $why"
  fail "The container of service \"$2\" ($c) was created but never started (docker compose up starts it, or says why it cannot)."
}

# _compose_held_back DIR CONTAINER: why the dependencies of a Compose container (its depends_on
# label: service:condition:restart,...) keep it from starting, or nothing.
_compose_held_back() {
  local dep svc cond d s h x deps
  _resolve "$2"
  IFS=, read -ra deps <<<"${C_DEPENDS[$_k]:-}"
  for dep in "${deps[@]}"; do
    svc=${dep%%:*} cond=${dep#*:} cond=${cond%%:*}
    d=$(compose_container "$1" "$svc")
    [ -n "$d" ] || { printf 'it depends on "%s", which has no container.' "$svc"; return; }
    s=$(container_state "$d") h=$(container_health "$d") x=$(container_exit_code "$d")
    case "$cond" in
      service_healthy)
        [ "$s" = running ] && [ "$h" = healthy ] && continue
        if [ "$s" != running ]; then
          printf 'it waits for "%s" to be healthy, and "%s" (%s) is %s, not running. docker compose logs %s shows why.' "$svc" "$svc" "$d" "$s" "$svc"
        elif [ -z "$h" ]; then
          printf 'it waits for "%s" to be healthy, and "%s" (%s) has no health check.' "$svc" "$svc" "$d"
        elif [ "$h" = unhealthy ]; then
          printf 'it waits for "%s" to be healthy, and "%s" (%s) is unhealthy: its health check fails. docker inspect %s shows what the check answered (State.Health).' "$svc" "$svc" "$d" "$d"
        else
          printf 'it waits for "%s" to be healthy, and "%s" (%s) is still starting: its health check has not passed yet.' "$svc" "$svc" "$d"
        fi
        return ;;
      service_completed_successfully)
        [ "$s" = exited ] && [ "$x" = 0 ] && continue
        if [ "$s" = exited ]; then
          printf 'it waits for "%s" to complete successfully, and "%s" (%s) exited with code %s. docker compose logs %s shows why.' "$svc" "$svc" "$d" "$x" "$svc"
        else
          printf 'it waits for "%s" to complete successfully, and "%s" (%s) is %s.' "$svc" "$svc" "$d" "$s"
        fi
        return ;;
      *)
        [ "$s" = running ] && continue
        printf 'it waits for "%s" to start, and "%s" (%s) is %s, not running. docker compose logs %s shows why.' "$svc" "$svc" "$d" "$s" "$svc"
        return ;;
    esac
  done
}

# compose_waits_healthy NAME CONTAINER SERVICE...: fails unless the Compose container of NAME
# starts only once each SERVICE is healthy (depends_on with condition: service_healthy).
compose_waits_healthy() {
  local name=$1 id=$2 deps s
  shift 2
  _resolve "$id"
  deps=${C_DEPENDS[$_k]:-}
  for s in "$@"; do
    case ",$deps" in
      *",$s:service_healthy"*) ;;
      *) fail "\"$name\" does not wait for $s to be healthy (depends_on with a condition)." ;;
    esac
  done
}
