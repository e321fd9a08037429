#!/bin/bash
# Runs once in a fresh sandbox: the OCS site as the docs first describe it, one Compose file
# for everything, already running. The learner splits it into core, web and agents projects.
set -euo pipefail
mkdir -p /root/ocs/config /root/ocs/data
# The aggregator runs as uid 9000 (user: "9000") and writes to ./data.
chown 9000:9000 /root/ocs/data

cat > /root/ocs/.env <<'EOF'
# Read by `docker compose` in this folder: ${OCS_CONFIG_DIR} in docker-compose.yaml.
OCS_CONFIG_DIR=/root/ocs/config
EOF

cat > /root/ocs/config/default.yaml <<'EOF'
# OCS site config file (SCF) for our pretend observatory.
hub:
  # For clients on the host itself: crossbar's published port.
  wamp_server: ws://localhost:8001/ws
  wamp_http: http://localhost:8001/call
  wamp_realm: test_realm
  address_root: observatory

hosts:
  # Agents in containers: compose gives them `hostname: ocs-docker`.
  ocs-docker:
    # Inside Docker, crossbar is reached by its Compose service name.
    wamp_server: ws://crossbar:8001/ws
    wamp_http: http://crossbar:8001/call
    agent-instances:
      - agent-class: FakeDataAgent
        instance-id: fake-data1
        arguments:
          - ['--mode', 'acq']
          - ['--num-channels', '2']
          - ['--sample-rate', '2']
      - agent-class: InfluxDBAgent
        instance-id: influxagent
        arguments:
          - ['--initial-state', 'record']
          - ['--host', 'influxdb']
          - ['--port', '8086']
          - ['--database', 'ocs_feeds']
      - agent-class: AggregatorAgent
        instance-id: aggregator
        arguments:
          - ['--initial-state', 'record']
          - ['--time-per-file', '3600']
          - ['--data-dir', '/data/']
EOF

cat > /root/ocs/docker-compose.yaml <<'EOF'
# The whole OCS site in one Compose project: the web front end, the databases, the WAMP
# router and the agents all start and stop together.
version: '3.7'
volumes:
  grafana-storage:

services:
  # --------------------------------------------------------------------------
  # Grafana for the live monitor.
  # --------------------------------------------------------------------------
  grafana:
    image: grafana/grafana:latest
    restart: always
    ports:
      - "127.0.0.1:3000:3000"
    volumes:
      - grafana-storage:/var/lib/grafana

  # InfluxDB backend for Grafana
  influxdb:
    image: influxdb:1.7
    container_name: "influxdb"
    restart: always
    ports:
      - "8086:8086"
    environment:
      - INFLUXDB_HTTP_LOG_ENABLED=false
    volumes:
      - /srv/influxdb:/var/lib/influxdb

  # --------------------------------------------------------------------------
  # Crossbar
  # --------------------------------------------------------------------------
  crossbar:
    image: simonsobs/ocs-crossbar:latest
    ports:
      - "127.0.0.1:8001:8001" # expose for OCS
    environment:
      - PYTHONUNBUFFERED=1

  # --------------------------------------------------------------------------
  # OCS Agents
  # --------------------------------------------------------------------------
  ocs-aggregator:
    image: simonsobs/ocs:latest
    hostname: ocs-docker
    user: "9000"
    environment:
      - INSTANCE_ID=aggregator
    volumes:
      - ${OCS_CONFIG_DIR}:/config:ro
      - ./data:/data
    depends_on:
      - "crossbar"

  ocs-influx-publisher:
    image: simonsobs/ocs:latest
    hostname: ocs-docker
    environment:
      - INSTANCE_ID=influxagent
    volumes:
      - ${OCS_CONFIG_DIR}:/config:ro

  ocs-fake-data:
    image: simonsobs/ocs:latest
    hostname: ocs-docker
    environment:
      - INSTANCE_ID=fake-data1
      - SITE_HUB=ws://crossbar:8001/ws
      - SITE_HTTP=http://crossbar:8001/call
    volumes:
      - ${OCS_CONFIG_DIR}:/config:ro
EOF

cd /root/ocs
docker compose up -d --quiet-pull >/dev/null 2>&1
