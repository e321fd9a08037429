# The archive exists and holds data/anomstack.db; no finished helper container is left.
f=/root/anomstack/duckdb-backup.tar.gz
[ -f "$f" ] || fail "There is no /root/anomstack/duckdb-backup.tar.gz yet."
list=$(tar tzf "$f" 2>/dev/null) || fail "duckdb-backup.tar.gz is not a gzip-compressed tar archive."
printf '%s\n' "$list" | grep -qx 'data/anomstack.db' \
  || fail "duckdb-backup.tar.gz does not contain data/anomstack.db (the volume mounted at /data)."
left=$(docker ps -a --filter volume=anomstack_metrics_duckdb --filter status=exited \
  --format '{{.Names}} {{.Label "com.docker.compose.project"}}' | awk 'NF == 1 { print $1 }' | head -n 1)
[ -z "$left" ] || fail "The backup is there, but the finished helper container \"$left\" is left behind."
pass
