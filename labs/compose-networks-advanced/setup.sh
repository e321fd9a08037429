#!/bin/bash
# Runs once in a fresh sandbox: a three-service stack in /root/stack, started, with every
# service on the project's default network and the web service published on the sandbox.
set -euo pipefail
mkdir -p /root/stack/web /root/stack/proxy
cd /root/stack

# web: a small service that answers with what it can see of the cache. Standard library only.
cat > web/web.py <<'PYEOF'
"""web: answers GET / with its settings and whether the cache answers a PING."""

import json
import os
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CACHE_HOST = os.environ.get("CACHE_HOST", "cache")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "info")


def ping_cache() -> str:
    try:
        with socket.create_connection((CACHE_HOST, 6379), timeout=2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(64).decode().strip().lstrip("+")
    except OSError as err:
        return f"cannot reach {CACHE_HOST}:6379: {err}"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps(
            {"service": "web", "log_level": LOG_LEVEL, "cache": ping_cache()}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        if LOG_LEVEL == "debug":
            super().log_message(fmt, *args)


ThreadingHTTPServer(("0.0.0.0", 8000), Handler).serve_forever()
PYEOF

# proxy: nginx in front of web, the only thing meant to be reached from outside.
# nginx asks Docker's DNS (127.0.0.11) again every few seconds instead of once at start: a
# recreated container comes back with a new address.
cat > proxy/default.conf <<'CONF'
server {
    listen 80 default_server;
    resolver 127.0.0.11 valid=5s;
    set $upstream web;
    location / {
        proxy_pass http://$upstream:8000;
    }
}
CONF

cat > compose.yaml <<'YAML'
services:
  proxy:
    image: nginx
    ports:
      - "8080:80"
    volumes:
      - ./proxy:/etc/nginx/sites-enabled:ro
    depends_on:
      - web

  web:
    image: python:3.13-slim
    command: ["python", "/app/web.py"]
    volumes:
      - ./web:/app:ro
    environment:
      CACHE_HOST: cache
    ports:
      - "8000:8000"   # published while debugging, and never taken out again

  cache:
    image: redis
YAML

docker compose up -d --quiet-pull >/dev/null 2>&1 || docker compose up -d
