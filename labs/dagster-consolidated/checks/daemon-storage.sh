# The daemon writes to the storage the webserver reads, whatever the layout (the project's
# dagster_home bind-mounted in both, one named volume shared by both, ...): the webserver's
# storage holds a fresh heartbeat written by the anomstack_daemon container itself (each
# heartbeat carries the host name of the container that wrote it).
st=$(container_state anomstack_daemon)
[ -n "$st" ] || fail "There is no container named \"anomstack_daemon\": start the project first."
[ "$st" = running ] || fail "\"anomstack_daemon\" is $st, not running."
[ "$(container_state anomstack_webserver)" = running ] || fail "\"anomstack_webserver\" is not running."
host=$(docker inspect -f '{{.Config.Hostname}}' anomstack_daemon 2>/dev/null)
hosts=" $(docker exec anomstack_webserver python3 -c '
from dagster._standin import daemon
from dagster._standin.instance import Instance
fresh, _ = daemon.liveness(Instance.from_home().storage())
print(" ".join(sorted({str(b["body"].get("host")) for b in fresh})))' 2>/dev/null) "
case "$hosts" in
  *" $host "*) pass ;;
  "  ") fail "The daemon runs, but the webserver's storage holds no fresh heartbeat from it: the daemon keeps its SQLite files where the webserver does not read them (or it started only seconds ago)." ;;
  *) fail "The webserver's storage has fresh heartbeats, but none written by the anomstack_daemon container: they come from a daemon started somewhere else." ;;
esac
