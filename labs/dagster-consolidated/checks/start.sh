# The three containers run; the UI answers on 3000 with the in-process code location loaded;
# the dashboard answers on 5001.
for c in anomstack_webserver anomstack_daemon anomstack_dashboard; do
  st=$(container_state "$c")
  [ -n "$st" ] || fail "There is no container named \"$c\" yet: start the project from /root/anomstack."
  [ "$st" = running ] || fail "\"$c\" is $st, not running: its logs say why (the Makefile has a target for them)."
done
curl -s -m 3 http://localhost:3000/server_info 2>/dev/null | grep -q dagster_webserver_version \
  || fail "The containers run, but the Dagster UI does not answer on http://localhost:3000 yet."
curl -s -m 3 http://localhost:3000/ 2>/dev/null | grep -q 'data-location="anomstack" data-status="loaded"' \
  || fail "The Dagster UI answers, but the code location anomstack is not loaded."
[ "$(http_status http://localhost:5001/)" = 200 ] || fail "Nothing answers on http://localhost:5001 (the dashboard) yet."
pass
