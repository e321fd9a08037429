# Task: the agents were stopped and started again (or recreated) while Grafana kept running,
# and data flows again. Nothing is recorded: Grafana's start time is compared with the
# engine's "die" events of the agents and with the agents' own start times.
G=$(docker ps -q --filter label=com.docker.compose.project.working_dir=/root/ocs/web --filter label=com.docker.compose.service=grafana | head -n 1)
[ -n "$G" ] || fail "Grafana is not running in its own project (from /root/ocs/web)."
g_start=$(docker inspect -f '{{.State.StartedAt}}' "$G")
since=$(date -d "$g_start" +%s)
last_die=$(docker events --since "$since" --until "$(date +%s)" --filter type=container --filter event=die \
  --filter label=com.docker.compose.project.working_dir=/root/ocs --format '{{.Time}} {{index .Actor.Attributes "com.docker.compose.service"}}' 2>/dev/null |
  awk '$2 ~ /^ocs-(aggregator|influx-publisher|fake-data)$/ {t=$1} END {print t}')
[ -n "$last_die" ] || fail "The agents have not been stopped or recreated since Grafana started."
samples() { # samples WHERE: fake-data1 samples InfluxDB holds under that condition
  curl -sG -m 3 http://127.0.0.1:8086/query --data-urlencode db=ocs_feeds \
    --data-urlencode "q=SELECT count(channel_00) FROM \"observatory.fake-data1\" WHERE $1" 2>/dev/null |
    jq -r '.results[0].series[0].values[0][1] // 0' 2>/dev/null
}
# A restart of a working system: data flowed while Grafana ran, before the agents went down.
n=$(samples "time > '$g_start' AND time < ${last_die}s")
[ "${n:-0}" -gt 0 ] 2>/dev/null ||
  fail "The agents went down since Grafana started, but they had not delivered any data before that. Restart them once data flows."
for s in ocs-aggregator ocs-influx-publisher ocs-fake-data; do
  C=$(docker ps -q --filter label=com.docker.compose.project.working_dir=/root/ocs --filter "label=com.docker.compose.service=$s" | head -n 1)
  [ -n "$C" ] || fail "$s is not running again after the restart."
  started=$(date -d "$(docker inspect -f '{{.State.StartedAt}}' "$C")" +%s)
  [ "$started" -ge "$last_die" ] || fail "$s has not been started again since the agents went down."
done
[ "$(docker inspect -f '{{.RestartCount}}' "$G")" = 0 ] || fail "Grafana's container restarted on its own: look at its logs."
[ "$(http_status http://127.0.0.1:3000/api/health)" = 200 ] || fail "Grafana no longer answers on port 3000."
# The last container of the loop is ocs-fake-data: count its samples since it started.
fd_start=$(docker inspect -f '{{.State.StartedAt}}' "$C")
n=$(samples "time > '$fd_start'")
[ "${n:-0}" -gt 0 ] 2>/dev/null || fail "The agents are back, but no new samples have reached InfluxDB since they restarted."
pass
