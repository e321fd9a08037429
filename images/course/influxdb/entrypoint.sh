#!/bin/sh
# Starts influxd in the foreground. Like the official image's entrypoint, INFLUXDB_DB names a
# database to create once the server answers (no-op when it already exists).
set -e
if [ "${1:-}" = influxd ] && [ -n "${INFLUXDB_DB:-}" ]; then
  (
    for _ in $(seq 60); do
      if influx -execute 'SHOW DATABASES' >/dev/null 2>&1; then
        influx -execute "CREATE DATABASE \"$INFLUXDB_DB\"" && echo "created database $INFLUXDB_DB"
        exit 0
      fi
      sleep 1
    done
  ) &
fi
exec "$@"
