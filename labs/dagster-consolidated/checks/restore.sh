# Proven from the restored content, which later backups do not change: the volume
# anomstack_metrics_duckdb holds metrics written before the volume itself was created, so they
# were brought back into a new volume (not left in the old one, and not ingested anew); the
# deployment runs again on it.
f=/root/anomstack/duckdb-backup.tar.gz
[ -f "$f" ] || fail "There is no /root/anomstack/duckdb-backup.tar.gz to restore from (the task above makes it)."
created=$(docker volume inspect -f '{{.CreatedAt}}' anomstack_metrics_duckdb 2>/dev/null)
[ -n "$created" ] || fail "There is no volume anomstack_metrics_duckdb right now: restore the archive into a new one."
created=$(date -d "$created" +%s)
for c in anomstack_webserver anomstack_daemon anomstack_dashboard; do
  [ "$(container_state "$c")" = running ] || fail "Start the whole deployment again (\"$c\" is not running)."
done
read -r n oldest < <(docker exec anomstack_webserver python3 -c "
import calendar, time, duckdb
c = duckdb.connect('/data/anomstack.db', read_only=True)
n, t = c.execute('SELECT COUNT(*), MIN(metric_timestamp) FROM metrics').fetchone()
print(n, calendar.timegm(time.strptime(t, '%Y-%m-%d %H:%M:%S')) if t else 0)" 2>/dev/null)
[ "${n:-0}" -gt 0 ] 2>/dev/null || fail "The volume anomstack_metrics_duckdb has no metrics: restore the archive into it."
if [ "${oldest:-0}" -ge "$created" ]; then
  # Which mistake: the archive's time only picks the words, never the verdict.
  [ "$created" -lt "$(stat -c %Y "$f")" ] \
    && fail "anomstack_metrics_duckdb is still the volume you backed up: remove it first (with everything else), then restore the archive into a new one."
  fail "The volume only has metrics written after it was created: those are new values, not the restored ones."
fi
curl -s -m 3 http://localhost:5001/ 2>/dev/null | grep -q "data-metric=" \
  || fail "The metrics are back, but the dashboard on port 5001 does not show them yet."
pass
