# DuckDB in the volume holds metrics, and the dashboard shows them.
[ "$(container_state anomstack_webserver)" = running ] || fail "\"anomstack_webserver\" is not running."
n=$(docker exec anomstack_webserver python3 -c "
import duckdb
c = duckdb.connect('/data/anomstack.db', read_only=True)
print(c.execute('SELECT COUNT(*) FROM metrics').fetchone()[0])" 2>/dev/null)
[ "${n:-0}" -gt 0 ] 2>/dev/null || fail "/data/anomstack.db has no metrics yet: has a run of ingest_metrics succeeded?"
curl -s -m 3 http://localhost:5001/ 2>/dev/null | grep -q "data-metric=" \
  || fail "DuckDB has $n metric values, but the dashboard on port 5001 does not show them."
pass
