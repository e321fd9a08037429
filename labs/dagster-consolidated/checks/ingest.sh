# DuckDB in the volume holds metrics, a run of ingest_metrics succeeded (the values were not
# written by hand), and the dashboard shows them.
[ "$(container_state anomstack_webserver)" = running ] || fail "\"anomstack_webserver\" is not running."
read -r n runs < <(docker exec anomstack_webserver python3 -c "
import duckdb
from dagster._standin.instance import Instance
runs = Instance.from_home().storage().execute(
    'SELECT COUNT(*) FROM runs WHERE pipeline_name = %s AND status = %s',
    ('ingest_metrics', 'SUCCESS'), fetch='all')[0][0]
try:
    c = duckdb.connect('/data/anomstack.db', read_only=True)
    n = c.execute('SELECT COUNT(*) FROM metrics').fetchone()[0]
except Exception:
    n = 0
print(n, runs)" 2>/dev/null)
[ "${n:-0}" -gt 0 ] 2>/dev/null || fail "/data/anomstack.db has no metrics yet: has a run of ingest_metrics succeeded?"
[ "${runs:-0}" -gt 0 ] 2>/dev/null \
  || fail "/data/anomstack.db has $n metric values, but no run of ingest_metrics has succeeded: the job must write them, and the daemon runs it."
curl -s -m 3 http://localhost:5001/ 2>/dev/null | grep -q "data-metric=" \
  || fail "DuckDB has $n metric values, but the dashboard on port 5001 does not show them."
pass
