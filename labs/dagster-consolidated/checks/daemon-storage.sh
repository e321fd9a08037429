# The daemon sees the webserver's dagster_home (the SQLite files), and its heartbeats are
# fresh in the storage the webserver reads.
st=$(container_state anomstack_daemon)
[ -n "$st" ] || fail "There is no container named \"anomstack_daemon\": start the project first."
src=$(mount_source anomstack_daemon /opt/dagster/dagster_home)
[ "$src" = /root/anomstack/dagster_home ] \
  || fail "The daemon's /opt/dagster/dagster_home is not the project's dagster_home folder, so it keeps its own SQLite files."
[ "$st" = running ] || fail "\"anomstack_daemon\" is $st, not running."
[ "$(container_state anomstack_webserver)" = running ] || fail "\"anomstack_webserver\" is not running."
docker exec anomstack_webserver dagster-daemon liveness-check >/dev/null 2>&1 \
  || fail "The daemon has the folder, but the webserver's storage holds no fresh heartbeat yet (a few seconds after a restart)."
pass
