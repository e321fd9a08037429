# Task: the all-in-one project is down (volumes kept) and ocs-net exists, made by hand.
old=$(docker ps -a --filter label=com.docker.compose.project=ocs \
  --format '{{.Label "com.docker.compose.service"}}' | grep -xE 'grafana|influxdb|crossbar' | head -n 1)
[ -z "$old" ] || fail "The all-in-one deployment is still there (its $old container belongs to the project \"ocs\"). Take that project down first."
volume_exists ocs_grafana-storage ||
  fail "The volume ocs_grafana-storage (Grafana's storage from the all-in-one deployment) is gone: a project's volumes survive only if you take it down without -v. Recreate it with docker volume create to go on."
docker network inspect ocs-net >/dev/null 2>&1 || fail "There is no network called ocs-net yet."
driver=$(docker network inspect -f '{{.Driver}}' ocs-net)
[ "$driver" = bridge ] || fail "ocs-net uses the $driver driver; the projects need a bridge network."
owner=$(docker network inspect -f '{{index .Labels "com.docker.compose.project"}}' ocs-net)
[ -z "$owner" ] || fail "ocs-net was created by the Compose project \"$owner\", so that project owns it (and removes it on down). Create the shared network outside Compose."
pass
