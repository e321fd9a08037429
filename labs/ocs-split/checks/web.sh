# Task: Grafana runs alone in the project from /root/ocs/web, on ocs-net, pinned, published on
# port 3000 (all addresses, for the preview), with the old storage volume, and reaches InfluxDB.
pinned_service_on grafana /root/ocs/web ocs-net
vol=$(mount_source "$C" /var/lib/grafana)
[ "$vol" = ocs_grafana-storage ] ||
  fail "Grafana's /var/lib/grafana is ${vol:-not a volume}, not the volume the all-in-one deployment used (ocs_grafana-storage): its dashboards would be lost."
binds=$(docker container inspect -f '{{with index .NetworkSettings.Ports "3000/tcp"}}{{range .}}{{.HostIp}}:{{.HostPort}} {{end}}{{end}}' "$C")
case " $binds" in
  *" 0.0.0.0:3000 "* | *" :::3000 "* | *" :3000 "*) ;;
  *" 127.0.0.1:3000 "*) fail "Grafana is published on 127.0.0.1:3000 only, which the lesson's preview cannot reach from outside the sandbox: publish port 3000 on all addresses." ;;
  *) fail "grafana's port 3000 is not published on port 3000 of the sandbox." ;;
esac
[ "$(http_status http://127.0.0.1:3000/api/health)" = 200 ] || fail "Grafana does not answer on http://127.0.0.1:3000/api/health yet."
# Grafana's datasource proxy forwards to InfluxDB's /ping from inside the grafana container.
# (A real Grafana without a login answers 401 here; then the network check above has to do.)
case "$(http_status http://127.0.0.1:3000/api/datasources/proxy/uid/influxdb/ping)" in
  204 | 401 | 403) ;;
  *) fail "Grafana answers, but cannot reach InfluxDB at http://influxdb:8086 from its container." ;;
esac
pass
