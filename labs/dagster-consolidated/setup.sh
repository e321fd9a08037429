#!/bin/bash
# Runs once in a fresh sandbox: an Anomstack-style consolidated Dagster project in
# /root/anomstack (webserver with the code loaded in-process, daemon, dashboard; SQLite for
# Dagster's metadata; a DuckDB named volume; Makefile targets). One planted problem: the
# daemon does not share the webserver's dagster_home, so its heartbeats and runs go nowhere.
set -euo pipefail
P=/root/anomstack
mkdir -p "$P/docker" "$P/dagster_home" "$P/anomstack" "$P/dashboard" "$P/metrics" "$P/tmp"

cat >"$P/.env" <<'EOF'
# Read by docker compose (env_file) and passed into every container.
ANOMSTACK_DUCKDB_PATH=/data/anomstack.db
ANOMSTACK_METRICS_DIR=/opt/dagster/app/metrics
DAGSTER_HOME=/opt/dagster/dagster_home
DAGSTER_LOG_LEVEL=INFO
DAGSTER_CONCURRENCY=4
ANOMSTACK_DASHBOARD_PORT=5001
EOF

cat >"$P/docker-compose.yaml" <<'EOF'
# Anomstack-style consolidated deployment: three containers, no Postgres, no gRPC server.
name: anomstack

services:
  # Dagster webserver WITH the user code: workspace.yaml loads the anomstack module
  # straight into this process.
  anomstack_webserver:
    build:
      context: .
      dockerfile: docker/Dockerfile.dagster_consolidated
    image: anomstack_consolidated_image
    container_name: anomstack_webserver
    entrypoint: ["dagster-webserver", "-h", "0.0.0.0", "-p", "3000",
                 "-w", "/opt/dagster/dagster_home/workspace.yaml"]
    restart: on-failure
    env_file: .env
    ports:
      - "3000:3000"
    volumes:
      - ./tmp:/opt/dagster/app/tmp
      - ./metrics:/opt/dagster/app/metrics
      - anomstack_metrics_duckdb:/data
      - ./dagster_home:/opt/dagster/dagster_home
    networks:
      - anomstack_network

  # Schedules and the run queue. Runs execute here, in this container (DefaultRunLauncher).
  anomstack_daemon:
    image: anomstack_consolidated_image
    container_name: anomstack_daemon
    entrypoint: ["dagster-daemon", "run", "-w", "/opt/dagster/dagster_home/workspace.yaml"]
    restart: on-failure
    env_file: .env
    volumes:
      - ./tmp:/opt/dagster/app/tmp
      - ./metrics:/opt/dagster/app/metrics
      - anomstack_metrics_duckdb:/data
    depends_on:
      - anomstack_webserver
    networks:
      - anomstack_network

  # The metrics dashboard, reading the same DuckDB file.
  anomstack_dashboard:
    build:
      context: .
      dockerfile: docker/Dockerfile.anomstack_dashboard
    image: anomstack_dashboard_image
    container_name: anomstack_dashboard
    command: uvicorn dashboard.app:app --host 0.0.0.0 --port 8080 --reload
    restart: on-failure
    env_file: .env
    ports:
      - "${ANOMSTACK_DASHBOARD_PORT:-5001}:8080"
    volumes:
      - anomstack_metrics_duckdb:/data
    networks:
      - anomstack_network

volumes:
  anomstack_metrics_duckdb:
    name: anomstack_metrics_duckdb

networks:
  anomstack_network:
    name: anomstack_network
EOF

# Recipe lines start with a tab: written here as "> ".
sed 's/^> /\t/' >"$P/Makefile" <<'EOF'
# Docker targets, as in Anomstack's Makefile (a subset).
COMPOSE := docker compose

.PHONY: docker docker-build docker-smart docker-stop docker-rm docker-prune docker-logs \
        docker-logs-webserver docker-logs-daemon docker-logs-dashboard \
        docker-shell-webserver docker-shell-daemon docker-shell-dashboard \
        docker-restart-webserver docker-restart-dashboard docker-clean

docker:                    # start all services (builds the images when missing)
> $(COMPOSE) up -d

docker-build:              # build all images
> $(COMPOSE) build

docker-smart:              # build, then start
> $(COMPOSE) up -d --build

docker-stop:               # stop all services, keep the containers
> $(COMPOSE) stop

docker-rm:                 # remove the containers and the network (volumes stay)
> $(COMPOSE) down

docker-prune:              # remove EVERYTHING, volumes included: deletes the DuckDB data!
> $(COMPOSE) down -v

docker-logs:
> $(COMPOSE) logs --tail 100

docker-logs-webserver:
> docker logs --tail 100 anomstack_webserver

docker-logs-daemon:
> docker logs --tail 100 anomstack_daemon

docker-logs-dashboard:
> docker logs --tail 100 anomstack_dashboard

docker-shell-webserver:
> docker exec -it anomstack_webserver bash

docker-shell-daemon:
> docker exec -it anomstack_daemon bash

docker-shell-dashboard:
> docker exec -it anomstack_dashboard bash

docker-restart-webserver:
> $(COMPOSE) restart anomstack_webserver

docker-restart-dashboard:
> $(COMPOSE) restart anomstack_dashboard

docker-clean:              # remove stopped containers, unused networks and dangling images
> docker system prune -f
EOF

cat >"$P/docker/Dockerfile.dagster_consolidated" <<'EOF'
# Webserver AND user code in one image (the daemon uses it too).
# dagster:stand-in is the course's Dagster stand-in, with a `duckdb` stand-in inside.
# A real project would start FROM python:3.12-slim and pip install dagster,
# dagster-webserver and duckdb here.
FROM dagster:stand-in
ENV DAGSTER_HOME=/opt/dagster/dagster_home
WORKDIR /opt/dagster/app
COPY dagster_home/ /opt/dagster/dagster_home/
COPY anomstack/ /opt/dagster/app/anomstack/
COPY metrics/ /opt/dagster/app/metrics/
EOF

cat >"$P/docker/Dockerfile.anomstack_dashboard" <<'EOF'
# The dashboard: a small ASGI app served by uvicorn (Anomstack's is FastHTML).
FROM dagster:stand-in
WORKDIR /opt/dashboard
COPY dashboard/ /opt/dashboard/dashboard/
EXPOSE 8080
CMD ["uvicorn", "dashboard.app:app", "--host", "0.0.0.0", "--port", "8080"]
EOF

cat >"$P/dagster_home/dagster.yaml" <<'EOF'
# No database server: Dagster keeps runs, events, schedules and daemon heartbeats in
# SQLite files under this folder. Every process must see the SAME folder.
storage:
  sqlite:
    base_dir: /opt/dagster/dagster_home/storage

# Runs wait in a queue; the daemon launches them in its own container.
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: {env: DAGSTER_CONCURRENCY}

run_launcher:
  module: dagster.core.launcher
  class: DefaultRunLauncher

compute_logs:
  module: dagster.core.storage.local_compute_log_manager
  class: LocalComputeLogManager
  config:
    base_dir: /opt/dagster/dagster_home/logs
EOF

cat >"$P/dagster_home/workspace.yaml" <<'EOF'
# Direct Python module loading: no gRPC code server.
load_from:
  - python_module:
      module_name: anomstack.main
      working_directory: /opt/dagster/app
      location_name: anomstack
EOF

cat >"$P/anomstack/__init__.py" <<'EOF'
EOF

cat >"$P/anomstack/main.py" <<'EOF'
"""Metrics in, anomalies out: an Anomstack-style pipeline.

Metric batches are YAML files in ./metrics (bind-mounted, so edits need no rebuild). Values
go to DuckDB at $ANOMSTACK_DUCKDB_PATH, which lives in the named volume
anomstack_metrics_duckdb.
"""

import glob
import os
import random

import duckdb
import yaml
from dagster import (
    AssetSelection,
    Definitions,
    MaterializeResult,
    ScheduleDefinition,
    asset,
    define_asset_job,
)

DB = os.environ.get("ANOMSTACK_DUCKDB_PATH", "/data/anomstack.db")
METRICS_DIR = os.environ.get("ANOMSTACK_METRICS_DIR", "/opt/dagster/app/metrics")


def metric_batches():
    batches = []
    for path in sorted(glob.glob(os.path.join(METRICS_DIR, "*.yaml"))):
        with open(path) as f:
            batches.append(yaml.safe_load(f))
    return batches


@asset(group_name="anomstack", compute_kind="duckdb")
def ingest(context) -> MaterializeResult:
    """Reads every metric of every batch and appends the values to DuckDB."""
    con = duckdb.connect(DB)
    con.execute(
        "CREATE TABLE IF NOT EXISTS metrics (metric_batch TEXT, metric_name TEXT, "
        "metric_value DOUBLE, metric_timestamp TIMESTAMP)"
    )
    rows = 0
    for batch in metric_batches():
        for m in batch["metrics"]:
            value = round(random.gauss(m["mean"], m["stddev"]), 2)
            con.execute(
                "INSERT INTO metrics VALUES (?, ?, ?, now())",
                [batch["metric_batch"], m["name"], value],
            )
            context.log.info(f"{batch['metric_batch']}.{m['name']} = {value}")
            rows += 1
    con.close()
    return MaterializeResult(metadata={"rows": rows, "database": DB})


@asset(group_name="anomstack", compute_kind="duckdb", deps=[ingest])
def alerts(context) -> MaterializeResult:
    """Flags metrics whose latest value is far from their average."""
    con = duckdb.connect(DB)
    stats = con.execute(
        "SELECT metric_name, AVG(metric_value), COUNT(*) FROM metrics GROUP BY metric_name"
    ).fetchall()
    flagged = []
    for name, avg, n in stats:
        latest = con.execute(
            "SELECT metric_value FROM metrics WHERE metric_name = ? "
            "ORDER BY metric_timestamp DESC LIMIT 1",
            [name],
        ).fetchone()[0]
        if n >= 3 and abs(latest - avg) > 0.5 * abs(avg):
            flagged.append(name)
    print(f"checked {len(stats)} metrics, flagged: {flagged or 'none'}")
    con.close()
    return MaterializeResult(metadata={"flagged": ", ".join(flagged) or "none"})


ingest_metrics = define_asset_job("ingest_metrics", selection=AssetSelection.all())

defs = Definitions(
    assets=[ingest, alerts],
    jobs=[ingest_metrics],
    schedules=[ScheduleDefinition(job=ingest_metrics, cron_schedule="*/10 * * * *")],
)
EOF

cat >"$P/metrics/example_batch.yaml" <<'EOF'
metric_batch: example
metrics:
  - {name: cpu_percent, mean: 35, stddev: 12}
  - {name: memory_mb, mean: 2048, stddev: 300}
  - {name: requests_per_min, mean: 900, stddev: 250}
EOF

cat >"$P/dashboard/__init__.py" <<'EOF'
EOF

cat >"$P/dashboard/app.py" <<'EOF'
"""The metrics dashboard: an ASGI app for uvicorn. Reads DuckDB read-only on every request."""

import html
import os

import duckdb

DB = os.environ.get("ANOMSTACK_DUCKDB_PATH", "/data/anomstack.db")

PAGE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Anomstack metrics</title>
<style>body{{font:15px system-ui,sans-serif;margin:2rem;color:#1d2433}}
table{{border-collapse:collapse}}td,th{{padding:.35rem .8rem;border-bottom:1px solid #dde}}
th{{text-align:left;background:#eef0f6}}td.n{{text-align:right}}</style>
<h1>Anomstack metrics</h1><p>{note}</p>{table}</html>"""


def render():
    if not os.path.exists(DB):
        return PAGE.format(note=f"No database at {html.escape(DB)} yet: run the ingest_metrics job in Dagster.", table="")
    con = duckdb.connect(DB, read_only=True)
    try:
        rows = con.execute(
            "SELECT metric_batch, metric_name, COUNT(*), ROUND(AVG(metric_value), 2), "
            "MAX(metric_timestamp) FROM metrics GROUP BY metric_batch, metric_name ORDER BY 1, 2"
        ).fetchall()
    except duckdb.Error:
        rows = []
    finally:
        con.close()
    if not rows:
        return PAGE.format(note="No metrics yet: run the ingest_metrics job in Dagster.", table="")
    body = "".join(
        f"<tr data-metric='{html.escape(name)}'><td>{html.escape(batch)}</td><td>{html.escape(name)}</td>"
        f"<td class=n>{n}</td><td class=n>{avg}</td><td>{html.escape(str(last))}</td></tr>"
        for batch, name, n, avg, last in rows
    )
    table = ("<table><tr><th>Batch</th><th>Metric</th><th>Points</th><th>Average</th>"
             f"<th>Last value at (UTC)</th></tr>{body}</table>")
    return PAGE.format(note=f"From {html.escape(DB)}", table=table)


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = render().encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/html; charset=utf-8")]})
    await send({"type": "http.response.body", "body": body})
EOF

cat >"$P/README.md" <<'EOF'
# Anomstack-style consolidated Dagster deployment

    make docker            start everything (images are built when missing)
    make docker-logs       logs of all services
    Dagster UI:            http://localhost:3000   (code loaded in the webserver itself)
    Dashboard:             http://localhost:5001

dagster:stand-in is the course's stand-in for Dagster; its `duckdb` is a stand-in too
(SQLite underneath). See the lesson for what they do and do not do.
EOF
