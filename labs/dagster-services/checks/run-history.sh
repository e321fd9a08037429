# A successful run of daily_refresh is in Postgres, and the postgres container was created
# after that run finished: the project went down and came back, and the history stayed.
svc() { docker ps -aq --filter label=com.docker.compose.project=dagster --filter "label=com.docker.compose.service=$1" | head -n 1; }
insp() { docker inspect -f "$1" "$2" 2>/dev/null; }

pg=$(svc postgres)
[ -n "$pg" ] || fail "There is no \"postgres\" container: start the project (docker compose up -d --wait)."
[ "$(insp '{{.State.Status}}' "$pg")" = running ] || fail "\"postgres\" is not running: start the project again."
env=$(insp '{{range .Config.Env}}{{println .}}{{end}}' "$pg")
user=$(printf '%s\n' "$env" | sed -n 's/^POSTGRES_USER=//p')
db=$(printf '%s\n' "$env" | sed -n 's/^POSTGRES_DB=//p')
end=$(docker exec "$pg" psql -U "${user:-postgres}" -d "${db:-${user:-postgres}}" -tAc \
  "SELECT COALESCE(MIN(end_time), 0)::bigint FROM runs WHERE pipeline_name = 'daily_refresh' AND status = 'SUCCESS'" 2>/dev/null)
[ "${end:-0}" -gt 0 ] 2>/dev/null || fail "Postgres holds no successful run of the job daily_refresh."
created=$(date -d "$(insp '{{.Created}}' "$pg")" +%s)
[ "$created" -gt "$end" ] || fail "A run of daily_refresh succeeded. Now take the whole project down with docker compose down and bring it back up."
web=$(svc dagster-webserver)
[ -n "$web" ] && [ "$(insp '{{.State.Status}}' "$web")" = running ] || fail "The history survived. Start the rest of the project again too (the webserver is not running)."
curl -s -m 3 http://localhost:3000/server_info 2>/dev/null | grep -q dagster_webserver_version \
  || fail "The webserver is back, but it does not answer on http://localhost:3000 yet."
pass
