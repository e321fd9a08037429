# user-code: the gRPC code server from the built image my_dagster_image:latest, healthy via
# `dagster api grpc-health-check`, with the hot-reload bind mount and the dbt volumes.
svc() { docker ps -aq --filter label=com.docker.compose.project=dagster --filter "label=com.docker.compose.service=$1" | head -n 1; }
insp() { docker inspect -f "$1" "$2" 2>/dev/null; }
mnt() { insp "{{range .Mounts}}{{if eq .Destination \"$2\"}}{{.Type}} {{if .Name}}{{.Name}}{{else}}{{.Source}}{{end}}{{end}}{{end}}" "$1"; }

id=$(svc user-code)
[ -n "$id" ] || fail "The Compose project \"dagster\" has no \"user-code\" container yet."
img=$(insp '{{.Config.Image}}' "$id")
case "$img" in
  my_dagster_image | my_dagster_image:latest) ;;
  *) fail "\"user-code\" runs the image $img: build it from docker/Dockerfile and name it my_dagster_image:latest." ;;
esac
st=$(insp '{{.State.Status}}' "$id")
if [ "$st" != running ]; then
  fail "\"user-code\" is $st (exit code $(insp '{{.State.ExitCode}}' "$id")), not running: docker compose logs user-code shows why."
fi
insp '{{if .Config.Healthcheck}}{{json .Config.Healthcheck.Test}}{{end}}' "$id" | grep -q grpc-health-check \
  || fail "\"user-code\" has no healthcheck that runs dagster api grpc-health-check."
[ "$(mnt "$id" /opt/dagster/app/etl_pipeline/src)" = "bind /root/dagster/etl_pipeline/src" ] \
  || fail "\"user-code\" does not have ./etl_pipeline/src bind-mounted at /opt/dagster/app/etl_pipeline/src (for hot reload)."
[ "$(mnt "$id" /opt/dagster/app/dbt_project/target)" = "volume dagster_dbt_target" ] \
  || fail "\"user-code\" does not have the volume dbt_target at /opt/dagster/app/dbt_project/target."
[ "$(mnt "$id" /opt/dagster/compute_logs)" = "volume dagster_dagster_compute_logs" ] \
  || fail "\"user-code\" does not have the volume dagster_compute_logs at /opt/dagster/compute_logs."
insp '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$id" | grep -qw dagster_dagster_network \
  || fail "\"user-code\" is not on the network dagster_network."
health=$(insp '{{.State.Health.Status}}' "$id")
[ "$health" = healthy ] || fail "\"user-code\" has its healthcheck, but its health is \"$health\", not healthy yet."
# The manifest must come from THIS container's start (the code parses the dbt project when it
# loads), not be left in the volume by an earlier container that had the variable.
written=$(docker exec "$id" sh -c 'test -s "$1" && stat -c %Y "$1"' sh /opt/dagster/app/dbt_project/target/manifest.json 2>/dev/null)
started=$(date -d "$(insp '{{.State.StartedAt}}' "$id")" +%s 2>/dev/null)
[ -n "$written" ] && [ "$written" -ge "${started:-0}" ] \
  || fail "\"user-code\" is healthy, but when it started it wrote no manifest.json into dbt_target: the code parses the dbt project at load only with DAGSTER_DBT_PARSE_PROJECT_ON_LOAD=1."
pass
