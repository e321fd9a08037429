# Task: the agents were taken down and brought back (or recreated, or restarted) while Grafana
# kept running, after data had been flowing, and data flows again. Proven from what lasts, not
# from the engine's event log (it keeps only its last 256 events): the containers' start times,
# Grafana's restart count, and the timestamps of the samples in InfluxDB. An agent counts as
# restarted when it started after samples had reached InfluxDB with this Grafana running: the
# publisher only writes what it receives live, so the agents that delivered the first samples
# started no later than about a second after them (3 s are allowed).
G=$(compose_container /root/ocs/web grafana)
[ -n "$G" ] || fail "Grafana is not running in its own project (from /root/ocs/web)."
s=$(container_state "$G")
[ "$s" = running ] || fail "Grafana's container ($G) is $s, not running: it must keep running while the agents restart."
agents=(ocs-aggregator ocs-influx-publisher ocs-fake-data)
ids=()
for a in "${agents[@]}"; do
  c=$(compose_container /root/ocs "$a")
  [ -n "$c" ] || fail "There is no $a container from /root/ocs: bring the agents back up."
  s=$(container_state "$c")
  [ "$s" = running ] || fail "$a ($c) is $s, not running: bring the agents back up."
  ids+=("$c")
done
[ "$(http_status http://127.0.0.1:8086/ping)" = 204 ] || fail "InfluxDB does not answer on http://127.0.0.1:8086/ping: the core project must keep running."
# Start times in Unix milliseconds: Grafana first, then the agents in the order above.
inspected=$(docker container inspect -f '{{.RestartCount}} {{.State.StartedAt}}' "$G" "${ids[@]}") ||
  fail "The containers changed while they were being checked: check again in a moment."
mapfile -t starts < <(awk '{print $2}' <<<"$inspected" | date -f - +%s%3N)
g_restarts=$(head -n 1 <<<"$inspected" | cut -d' ' -f1)
g=${starts[0]}
clock() { date -d "@$(($1 / 1000))" +%T; }
first_sample() { # first_sample AFTER_MS: the time (ms) of the first fake-data1 sample after it
  curl -sG -m 3 http://127.0.0.1:8086/query --data-urlencode db=ocs_feeds --data-urlencode epoch=ms \
    --data-urlencode "q=SELECT first(channel_00) FROM \"observatory.fake-data1\" WHERE time > ${1}ms" 2>/dev/null |
    jq -r '.results[0].series[0].values[0][0] // empty' 2>/dev/null
}
for i in 0 1 2; do
  [ "${starts[i + 1]}" -ge "$g" ] ||
    fail "Grafana has been running only since $(clock "$g"), after ${agents[i]} started: the agents must go down and come back while this Grafana runs (stopping, restarting or recreating Grafana starts over)."
done
t_first=$(first_sample "$g")
[ -n "$t_first" ] ||
  fail "No fake-data1 samples have reached InfluxDB since Grafana started at $(clock "$g"): get data flowing first (the task before this one), then restart the agents."
late=()
for i in 0 1 2; do
  [ "${starts[i + 1]}" -gt $((t_first + 3000)) ] || late+=("${agents[i]}")
done
[ ${#late[@]} -lt 3 ] ||
  fail "The agents have been running since before their first samples reached InfluxDB (at $(clock "$t_first")): they have not been taken down and brought back since."
[ ${#late[@]} -eq 0 ] ||
  fail "${late[0]} was not restarted with the other agents: it has been running since before the first samples (at $(clock "$t_first"))."
[ "$g_restarts" = 0 ] || fail "Grafana's container restarted on its own: look at its logs."
[ "$(http_status http://127.0.0.1:3000/api/health)" = 200 ] || fail "Grafana no longer answers on port 3000."
# The fresh fake-data agent (the last one above) must deliver too.
[ -n "$(first_sample "${starts[3]}")" ] ||
  fail "The agents are back, but no new samples have reached InfluxDB since they restarted: look at their logs."
pass
