# Task: influxdb and crossbar run in the project started from /root/ocs/core, on ocs-net,
# with pinned tags, answering on their published ports.
pinned_service_on influxdb /root/ocs/core ocs-net
pinned_service_on crossbar /root/ocs/core ocs-net
bind=$(docker container inspect -f '{{range index .NetworkSettings.Ports "8001/tcp"}}{{.HostIp}} {{end}}' "$C")
[ "$bind" = "127.0.0.1 " ] || fail "crossbar's port 8001 must be published on 127.0.0.1 only, as in the original file."
[ "$(http_status http://127.0.0.1:8086/ping)" = 204 ] || fail "InfluxDB does not answer on http://127.0.0.1:8086/ping yet."
# Any HTTP answer will do: /ws wants a WebSocket upgrade and says so.
[ "$(http_status http://127.0.0.1:8001/ws)" != 000 ] || fail "crossbar does not answer on http://127.0.0.1:8001 yet."
pass
