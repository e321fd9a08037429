# dagster-webserver: the same image as user-code, started after postgres and user-code are
# healthy, on the dedicated network, answering on port 3000 with the code location loaded.
svc() { docker ps -aq --filter label=com.docker.compose.project=dagster --filter "label=com.docker.compose.service=$1" | head -n 1; }
insp() { docker inspect -f "$1" "$2" 2>/dev/null; }

id=$(svc dagster-webserver)
[ -n "$id" ] || fail "The Compose project \"dagster\" has no \"dagster-webserver\" container yet."
code=$(svc user-code)
[ -n "$code" ] || fail "There is no \"user-code\" container: the task above creates it."
if [ "$(insp '{{.Config.Image}}' "$id")" != "$(insp '{{.Config.Image}}' "$code")" ] || [ "$(insp '{{.Image}}' "$id")" != "$(insp '{{.Image}}' "$code")" ]; then
  fail "\"dagster-webserver\" runs $(insp '{{.Config.Image}}' "$id"), not the very image user-code runs ($(insp '{{.Config.Image}}' "$code"))."
fi
compose_waits_healthy dagster-webserver "$id" postgres user-code
st=$(insp '{{.State.Status}}' "$id")
if [ "$st" != running ]; then
  fail "\"dagster-webserver\" is $st (exit code $(insp '{{.State.ExitCode}}' "$id")), not running: docker compose logs dagster-webserver shows why."
fi
insp '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$id" | grep -qw dagster_dagster_network \
  || fail "\"dagster-webserver\" is not on the network dagster_network."
[ "$(insp '{{range .Mounts}}{{if eq .Destination "/opt/dagster/compute_logs"}}{{.Name}}{{end}}{{end}}' "$id")" = dagster_dagster_compute_logs ] \
  || fail "\"dagster-webserver\" does not have the volume dagster_compute_logs at /opt/dagster/compute_logs (the UI reads step logs there)."
[ "$(host_port "$id" 3000/tcp)" = 3000 ] || fail "\"dagster-webserver\" runs, but its port 3000 is not published on port 3000."
info=$(curl -s -m 3 http://localhost:3000/server_info 2>/dev/null)
case "$info" in
  *dagster_webserver_version*) ;;
  *) fail "Nothing answers on http://localhost:3000/server_info yet." ;;
esac
curl -s -m 3 http://localhost:3000/ 2>/dev/null | grep -q 'data-location="etl_pipeline" data-status="loaded"' \
  || fail "The UI answers, but it does not show the code location etl_pipeline as loaded."
pass
