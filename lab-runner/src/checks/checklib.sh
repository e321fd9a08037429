# Prelude of every check. The runner sends it, then the task's script, to `bash -c` inside the
# learner's sandbox (nothing is stored there). Exit 0 passes; `fail "reason"` exits 1 and its
# words are what the learner reads, so say what is wrong without giving the answer away.
set -u
export DOCKER_CLI_HINTS=false LC_ALL=C.UTF-8

fail() { printf '%s\n' "$*"; exit 1; }
pass() { [ $# -gt 0 ] && printf '%s\n' "$*"; exit 0; }

# container_state NAME: created, running, exited, ... or nothing when there is no such container.
container_state() { docker container inspect -f '{{.State.Status}}' "$1" 2>/dev/null; }

# require_running NAME: fails with a learner-facing reason unless NAME is running.
require_running() {
  local s
  s=$(container_state "$1")
  [ -n "$s" ] || fail "There is no container named \"$1\" yet."
  [ "$s" = running ] || fail "The container \"$1\" exists but is $s, not running."
}

# container_image NAME: the image the container was created from, as typed (e.g. nginx).
container_image() { docker container inspect -f '{{.Config.Image}}' "$1" 2>/dev/null; }

# host_port NAME PORT/PROTO: the host port published for a container port, or nothing.
host_port() {
  docker container inspect -f "{{with index .NetworkSettings.Ports \"$2\"}}{{(index . 0).HostPort}}{{end}}" "$1" 2>/dev/null
}

# mount_source NAME DEST: the volume name (or host path) mounted at DEST in the container.
mount_source() {
  docker container inspect -f "{{range .Mounts}}{{if eq .Destination \"$2\"}}{{if .Name}}{{.Name}}{{else}}{{.Source}}{{end}}{{end}}{{end}}" "$1" 2>/dev/null
}

volume_exists() { docker volume inspect "$1" >/dev/null 2>&1; }

# http_status URL: the HTTP status code, or 000 when nothing answers.
http_status() { curl -s -o /dev/null -m 3 -w '%{http_code}' "$1" 2>/dev/null || true; }

# destroyed_since_start NAME: true when a container named NAME has been removed in this sandbox.
container_was_removed() {
  docker events --since 0 --until "$(date +%s)" --filter type=container --filter event=destroy \
    --format '{{.Actor.Attributes.name}}' 2>/dev/null | grep -qx "$1"
}

# compose_container DIR SERVICE: the container of a Compose service of the project in DIR
# (not a one-off `compose run`), or nothing.
compose_container() {
  docker ps -a --format '{{.Names}}' --filter "label=com.docker.compose.project.working_dir=$1" \
    --filter label=com.docker.compose.oneoff=False --filter "label=com.docker.compose.service=$2" | head -n 1
}

# compose_running DIR SERVICE: prints the running container of SERVICE; otherwise prints why
# and fails (use as: c=$(compose_running /root/app web) || fail "$c").
compose_running() {
  local c s
  c=$(compose_container "$1" "$2")
  [ -n "$c" ] || fail "There is no Compose service named \"$2\" in $1 yet (docker compose ps shows what runs)."
  s=$(container_state "$c")
  [ "$s" = running ] || fail "The container of service \"$2\" ($c) is $s, not running. docker compose logs $2 shows why."
  printf "%s" "$c"
}

# compose_waits_healthy NAME CONTAINER SERVICE...: fails unless the Compose container of NAME
# starts only once each SERVICE is healthy (depends_on with condition: service_healthy).
compose_waits_healthy() {
  local name=$1 id=$2 deps s
  shift 2
  deps=$(docker container inspect -f '{{index .Config.Labels "com.docker.compose.depends_on"}}' "$id" 2>/dev/null)
  for s in "$@"; do
    case ",$deps" in
      *",$s:service_healthy"*) ;;
      *) fail "\"$name\" does not wait for $s to be healthy (depends_on with a condition)." ;;
    esac
  done
}
