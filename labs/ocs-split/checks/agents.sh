# Task: the three agents run in the project from /root/ocs (and nothing else does), on
# ocs-net, pinned, and fresh data arrives in InfluxDB.
for s in grafana influxdb crossbar; do
  [ -z "$(compose_container /root/ocs "$s")" ] ||
    fail "The project in /root/ocs still has a $s container (docker compose ps -a lists it): that file should now hold only the agents, and the project nothing else."
done
for s in ocs-aggregator ocs-influx-publisher ocs-fake-data; do
  pinned_service_on "$s" /root/ocs ocs-net
done
q='SELECT count(channel_00) FROM "observatory.fake-data1" WHERE time > now() - 20s'
n=$(curl -sG -m 3 http://127.0.0.1:8086/query --data-urlencode db=ocs_feeds --data-urlencode "q=$q" 2>/dev/null |
  jq -r '.results[0].series[0].values[0][1] // 0' 2>/dev/null)
[ "${n:-0}" -gt 0 ] 2>/dev/null ||
  fail "The agents are running, but no fake-data1 samples reached InfluxDB in the last 20 seconds: look at the agents' logs."
pass
