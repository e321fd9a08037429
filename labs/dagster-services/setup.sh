#!/bin/bash
# Runs once in a fresh sandbox: the starter project in /root/dagster. Everything but the
# Docker parts is done: the pipeline's code, a tiny dbt project, dagster.yaml, workspace.yaml,
# the Dockerfile and a docker-compose.yaml that declares the network and volumes and leaves
# the four services to the learner.
set -euo pipefail
P=/root/dagster
mkdir -p "$P/docker" "$P/dagster_home" "$P/etl_pipeline/src/etl_pipeline" "$P/dbt_project/models"

cat >"$P/.env" <<'EOF'
# Read by docker compose for ${...} in docker-compose.yaml.
DAGSTER_PG_USERNAME=dagster
DAGSTER_PG_PASSWORD=dagster-lab-password
DAGSTER_PG_DB=dagster
EOF

cat >"$P/docker-compose.yaml" <<'EOF'
# Enterprise Data Platform: Dagster as four services on one network.
#
# Each lab task adds one service at the END of this file, under `services:`.
#   docker compose config          shows the file as Compose understands it (.env applied)
#   docker compose up -d --wait    starts what is new or changed and waits until it is
#                                  running, and healthy where it has a healthcheck
name: dagster

networks:
  dagster_network:
    driver: bridge

volumes:
  postgres_data:                     # Postgres: run history, event logs, schedules
  dagster_compute_logs:              # stdout/stderr of every step, shown in the UI
  dagster_local_artifact_storage:    # asset values written by runs
  dbt_target:                        # dbt's compiled output (target/)
  dbt_logs:                          # dbt's logs (logs/)

# What every Dagster process needs to reach Postgres (values from .env).
# Use it in a service as `environment: *dagster_env`.
x-dagster-env: &dagster_env
  DAGSTER_PG_USERNAME: ${DAGSTER_PG_USERNAME}
  DAGSTER_PG_PASSWORD: ${DAGSTER_PG_PASSWORD}
  DAGSTER_PG_DB: ${DAGSTER_PG_DB}

services:
  # Task 1 - postgres: image postgres:17; environment POSTGRES_USER, POSTGRES_PASSWORD and
  #   POSTGRES_DB from the DAGSTER_PG_* variables; the volume postgres_data at
  #   /var/lib/postgresql/data; a healthcheck running pg_isready; network dagster_network.
  #
  # Task 2 - user-code: built from docker/Dockerfile (context: .) and tagged
  #   my_dagster_image:latest; environment *dagster_env plus DAGSTER_DBT_PARSE_PROJECT_ON_LOAD: "1";
  #   a healthcheck running `dagster api grpc-health-check -p 4000`; network dagster_network;
  #   these mounts:
  #     - ./etl_pipeline/src:/opt/dagster/app/etl_pipeline/src      (hot reload: Python)
  #     - ./dbt_project:/opt/dagster/app/dbt_project                (hot reload: dbt models)
  #     - dbt_target:/opt/dagster/app/dbt_project/target
  #     - dbt_logs:/opt/dagster/app/dbt_project/logs
  #     - dagster_compute_logs:/opt/dagster/compute_logs
  #     - dagster_local_artifact_storage:/opt/dagster/local_artifact_storage
  #
  # Task 3 - dagster-webserver: the image my_dagster_image:latest (no build); entrypoint
  #   dagster-webserver -h 0.0.0.0 -p 3000 -w /opt/dagster/dagster_home/workspace.yaml;
  #   port 3000 published; environment *dagster_env; dagster_compute_logs mounted like in
  #   user-code; started only when postgres AND user-code are healthy; network dagster_network.
  #
  # Task 4 - dagster-daemon: like the webserver, with entrypoint
  #   dagster-daemon run -w /opt/dagster/dagster_home/workspace.yaml and no port.
EOF

cat >"$P/docker/Dockerfile" <<'EOF'
# One image for the code server, the webserver and the daemon.
# The course's dagster:stand-in image already contains "dagster", "dagster-webserver" and
# "dagster-postgres". A real project would start FROM python:3.12-slim and
# RUN pip install dagster dagster-webserver dagster-postgres dagster-dbt here.
FROM dagster:stand-in

ENV DAGSTER_HOME=/opt/dagster/dagster_home \
    DBT_PROJECT_DIR=/opt/dagster/app/dbt_project \
    DBT_PROFILES_DIR=/opt/dagster/app/dbt_project
WORKDIR /opt/dagster/app

# Instance and workspace configuration
COPY dagster_home/ /opt/dagster/dagster_home/
# The pipeline's code (bind mounts replace these folders while you develop)
COPY etl_pipeline/src/ /opt/dagster/app/etl_pipeline/src/
COPY dbt_project/ /opt/dagster/app/dbt_project/

EXPOSE 4000
# By default the container is the code server; the webserver and the daemon override this.
CMD ["dagster", "api", "grpc", "-h", "0.0.0.0", "-p", "4000", \
     "-m", "etl_pipeline.definitions", "-d", "/opt/dagster/app/etl_pipeline/src"]
EOF

cat >"$P/dagster_home/dagster.yaml" <<'EOF'
# The Dagster instance: where state lives. Every Dagster process reads this file.
storage:
  postgres:
    postgres_db:
      hostname: postgres            # the Compose service name
      port: 5432
      username: {env: DAGSTER_PG_USERNAME}
      password: {env: DAGSTER_PG_PASSWORD}
      db_name: {env: DAGSTER_PG_DB}

# Runs wait in a queue; dagster-daemon takes them out and launches them.
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 2

run_launcher:
  module: dagster.core.launcher
  class: DefaultRunLauncher

compute_logs:
  module: dagster.core.storage.local_compute_log_manager
  class: LocalComputeLogManager
  config:
    base_dir: /opt/dagster/compute_logs

local_artifact_storage:
  module: dagster.core.storage.root
  class: LocalArtifactStorage
  config:
    base_dir: /opt/dagster/local_artifact_storage
EOF

cat >"$P/dagster_home/workspace.yaml" <<'EOF'
# Where the webserver and the daemon find the pipeline's code: a gRPC server.
load_from:
  - grpc_server:
      host: user-code               # the Compose service name
      port: 4000
      location_name: etl_pipeline
EOF

cat >"$P/etl_pipeline/src/etl_pipeline/__init__.py" <<'EOF'
EOF

cat >"$P/etl_pipeline/src/etl_pipeline/definitions.py" <<'EOF'
"""The pipeline's Dagster definitions: three assets, one job, one schedule.

The code server imports this module when it starts (dagster api grpc -m etl_pipeline.definitions).
The folder is bind-mounted into the user-code container: after an edit,
`docker compose restart user-code` loads the new code, no image rebuild needed.
"""

import os
import random
from collections import defaultdict

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    Definitions,
    MaterializeResult,
    ScheduleDefinition,
    asset,
    define_asset_job,
)

from etl_pipeline import dbt

if os.environ.get("DAGSTER_DBT_PARSE_PROJECT_ON_LOAD") == "1":
    dbt.parse()


@asset(group_name="ingest", compute_kind="python")
def raw_orders(context) -> list:
    """Last week's orders, as the shop's API would return them."""
    rng = random.Random(42)
    orders = [
        {"order_id": i, "day": f"2025-06-{1 + i % 7:02d}", "amount": round(rng.uniform(5, 120), 2)}
        for i in range(1, 121)
    ]
    context.log.info(f"Fetched {len(orders)} orders")
    return orders


@asset(group_name="transform", compute_kind="dbt", deps=[raw_orders])
def dbt_models(context) -> MaterializeResult:
    """The dbt models in dbt_project/models."""
    built = dbt.build(context.log)
    return MaterializeResult(metadata={"models": ", ".join(built)})


@asset(group_name="reporting", compute_kind="python")
def daily_revenue(raw_orders: list) -> dict:
    """Revenue per day."""
    totals = defaultdict(float)
    for order in raw_orders:
        totals[order["day"]] += order["amount"]
    for day in sorted(totals):
        print(f"{day}: {totals[day]:8.2f}")
    return dict(totals)


daily_refresh = define_asset_job("daily_refresh", selection=AssetSelection.all())

defs = Definitions(
    assets=[raw_orders, dbt_models, daily_revenue],
    jobs=[daily_refresh],
    schedules=[
        ScheduleDefinition(
            job=daily_refresh,
            cron_schedule="0 6 * * *",
            default_status=DefaultScheduleStatus.RUNNING,
        )
    ],
)
EOF

cat >"$P/etl_pipeline/src/etl_pipeline/dbt.py" <<'EOF'
"""A tiny stand-in for dagster-dbt and dbt-core, which the course image does not have.

parse() is what DAGSTER_DBT_PARSE_PROJECT_ON_LOAD=1 triggers when the code loads: it lists
the models and writes target/manifest.json. build() "compiles" each model into
target/compiled/ and appends to logs/dbt.log. In docker-compose.yaml, target/ and logs/ are
named volumes: artifacts stay in Docker, not in your project folder.
"""

import json
import os
import time

PROJECT = os.environ.get("DBT_PROJECT_DIR", "/opt/dagster/app/dbt_project")


def models():
    folder = os.path.join(PROJECT, "models")
    if not os.path.isdir(folder):
        return []
    return sorted(f[:-4] for f in os.listdir(folder) if f.endswith(".sql"))


def _log(line):
    os.makedirs(os.path.join(PROJECT, "logs"), exist_ok=True)
    with open(os.path.join(PROJECT, "logs", "dbt.log"), "a") as f:
        f.write(time.strftime("%Y-%m-%d %H:%M:%S ") + line + "\n")


def parse():
    try:
        os.makedirs(os.path.join(PROJECT, "target"), exist_ok=True)
        nodes = {f"model.shop.{m}": {"name": m, "path": f"models/{m}.sql"} for m in models()}
        with open(os.path.join(PROJECT, "target", "manifest.json"), "w") as f:
            json.dump({"nodes": nodes}, f, indent=2)
        _log(f"parse: {len(nodes)} models -> target/manifest.json")
    except OSError as e:
        print(f"dbt parse skipped: {e}")


def build(log):
    built = []
    out = os.path.join(PROJECT, "target", "compiled")
    os.makedirs(out, exist_ok=True)
    for m in models():
        with open(os.path.join(PROJECT, "models", f"{m}.sql")) as src:
            sql = src.read()
        with open(os.path.join(out, f"{m}.sql"), "w") as dst:
            dst.write(sql)
        _log(f"build: model {m} OK")
        log.info(f"dbt: built model {m}")
        built.append(m)
    return built
EOF

cat >"$P/dbt_project/dbt_project.yml" <<'EOF'
name: shop
version: "1.0.0"
profile: shop
model-paths: ["models"]
target-path: target
EOF

cat >"$P/dbt_project/profiles.yml" <<'EOF'
shop:
  target: dev
  outputs:
    dev:
      type: postgres
      host: postgres
      port: 5432
      user: "{{ env_var('DAGSTER_PG_USERNAME') }}"
      password: "{{ env_var('DAGSTER_PG_PASSWORD') }}"
      dbname: "{{ env_var('DAGSTER_PG_DB') }}"
      schema: analytics
EOF

cat >"$P/dbt_project/models/stg_orders.sql" <<'EOF'
select order_id, day, amount
from {{ source('shop', 'raw_orders') }}
EOF

cat >"$P/dbt_project/models/orders_by_day.sql" <<'EOF'
select day, count(*) as orders, sum(amount) as revenue
from {{ ref('stg_orders') }}
group by day
EOF

cat >"$P/README.md" <<'EOF'
# Enterprise Data Platform (starter)

    docker-compose.yaml          the four services: you write them (see the comments)
    .env                         Postgres user, password and database for Compose
    docker/Dockerfile            the one image for user-code, webserver and daemon
    dagster_home/dagster.yaml    the instance: state in Postgres, queued runs, log folders
    dagster_home/workspace.yaml  where to find the code: the gRPC server user-code:4000
    etl_pipeline/src/            the pipeline (assets raw_orders, dbt_models, daily_revenue)
    dbt_project/                 a small dbt project (models/*.sql)

The images here are course stand-ins: dagster:stand-in behaves like Dagster for what the
lesson uses (see `dagster --help` inside it); postgres:17 is the real PostgreSQL.
EOF
