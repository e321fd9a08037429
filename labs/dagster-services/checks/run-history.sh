# A successful run of daily_refresh is in Postgres, and the project was taken down and brought
# back after that run finished, proven from what lasts: `docker compose down` removes the
# project's network and `up` creates it again, so the network dagster_network and every
# service's container are newer than the run, while the run itself is still in the volume.
# (Recreating containers with `up --force-recreate` or `restart` keeps the old network.)
svc() { docker ps -aq --filter label=com.docker.compose.project=dagster --filter "label=com.docker.compose.service=$1" | head -n 1; }
insp() { docker inspect -f "$1" "$2" 2>/dev/null; }
epoch() { date -d "$1" +%s.%N 2>/dev/null || echo 0; }
newer() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }

pg=$(svc postgres)
[ -n "$pg" ] || fail "There is no \"postgres\" container: start the project (docker compose up -d --wait)."
[ "$(insp '{{.State.Status}}' "$pg")" = running ] || fail "\"postgres\" is not running: start the project again."
env=$(insp '{{range .Config.Env}}{{println .}}{{end}}' "$pg")
user=$(printf '%s\n' "$env" | sed -n 's/^POSTGRES_USER=//p')
db=$(printf '%s\n' "$env" | sed -n 's/^POSTGRES_DB=//p')
end=$(docker exec "$pg" psql -U "${user:-postgres}" -d "${db:-${user:-postgres}}" -tAc \
  "SELECT COALESCE(MIN(end_time), 0) FROM runs WHERE pipeline_name = 'daily_refresh' AND status = 'SUCCESS'" 2>/dev/null)
newer "${end:-0}" 0 || fail "Postgres holds no successful run of the job daily_refresh."

# (A network's .Created is a Go time: {{json}} prints it as RFC 3339, which date reads.)
net=$(docker network inspect -f '{{json .Created}}' dagster_dagster_network 2>/dev/null | tr -d '"')
recreated=1 services=""
for s in postgres user-code dagster-webserver dagster-daemon; do
  id=$(svc "$s")
  if [ -z "$id" ] || [ "$(insp '{{.State.Status}}' "$id")" != running ]; then
    services="$services $s"
    continue
  fi
  newer "$(epoch "$(insp '{{.Created}}' "$id")")" "$end" || recreated=0
done
if [ -z "$net" ] || ! newer "$(epoch "$net")" "$end"; then
  [ "$recreated" = 1 ] && [ -z "$services" ] \
    && fail "A run of daily_refresh succeeded and the containers are new, but the project was not taken down: its network dagster_network is still the one from before the run. docker compose down removes containers and network."
  fail "A run of daily_refresh succeeded. Now take the whole project down with docker compose down and bring it back up."
fi
[ -z "$services" ] || fail "The history survived. Start the rest of the project again too (not running:$services)."
[ "$recreated" = 1 ] || fail "A run of daily_refresh succeeded, but not every service's container is newer than the run: take the whole project down with docker compose down and bring it back up."
curl -s -m 3 http://localhost:3000/server_info 2>/dev/null | grep -q dagster_webserver_version \
  || fail "The webserver is back, but it does not answer on http://localhost:3000 yet."
pass
