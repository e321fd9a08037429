# Task: Grafana runs alone in the project from /root/ocs/web, on ocs-net, pinned, published on
# port 3000 (all addresses, for the preview), with the old storage volume, and reaches InfluxDB.
C=$(docker ps -q --filter label=com.docker.compose.service=grafana | head -n 1)
if [ -z "$C" ]; then
  [ -n "$(docker ps -aq --filter label=com.docker.compose.service=grafana)" ] &&
    fail "The grafana service exists but is not running: look at its logs."
  fail "No Compose service called grafana is running yet."
fi
dir=$(docker inspect -f '{{index .Config.Labels "com.docker.compose.project.working_dir"}}' "$C")
[ "$dir" = /root/ocs/web ] || fail "grafana is running, but from a Compose project in ${dir:-an unknown folder}, not from /root/ocs/web."
nets=$(docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$C")
case " $nets" in
  *" ocs-net "*) ;;
  *) fail "grafana is running on ${nets% }, not on ocs-net. (After changing the networks of a file, recreate its containers: Compose keeps running ones.)" ;;
esac
image=$(docker inspect -f '{{.Config.Image}}' "$C")
case "${image##*/}" in
  *:latest) fail "grafana runs $image: pin a version tag instead of latest." ;;
  *:* | *@*) ;;
  *) fail "grafana runs $image without a tag, which means latest: pin a version tag." ;;
esac
vol=$(mount_source "$C" /var/lib/grafana)
[ "$vol" = ocs_grafana-storage ] ||
  fail "Grafana's /var/lib/grafana is ${vol:-not a volume}, not the volume the all-in-one deployment used (ocs_grafana-storage): its dashboards would be lost."
binds=$(docker inspect -f '{{with index .NetworkSettings.Ports "3000/tcp"}}{{range .}}{{.HostIp}}:{{.HostPort}} {{end}}{{end}}' "$C")
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
