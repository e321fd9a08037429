#!/bin/bash
# Runs once in a fresh sandbox: the rag-web service's source in /root/app, with a
# single-stage Dockerfile to start from and a developer's local virtualenv (.venv) left in
# the folder, which has no business in an image.
set -euo pipefail
mkdir -p /root/app
cd /root/app

cat > app.py <<'PYEOF'
"""rag-web: a small FastAPI service with a Redis counter, used in the Slipway labs.

Serve it:  uvicorn app:app --host 0.0.0.0 --port 8000   (or: python app.py --serve)
Probe it:  python app.py --health   exits 0 when /health answers 200 (for HEALTHCHECK)

Settings come from the environment: ENVIRONMENT, REDIS_HOST, REDIS_PORT, PORT.
"""

import os
import sys
import urllib.request

ENVIRONMENT = os.environ.get("ENVIRONMENT", "development")
REDIS_HOST = os.environ.get("REDIS_HOST", "localhost")
REDIS_PORT = int(os.environ.get("REDIS_PORT", "6379"))
PORT = int(os.environ.get("PORT", "8000"))


def probe() -> int:
    """Ask the running server for /health. Needs only the standard library, so it is quick."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health", timeout=3) as answer:
            return 0 if answer.status == 200 else 1
    except OSError as err:
        print(f"unhealthy: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__" and "--health" in sys.argv:
    sys.exit(probe())

import redis  # noqa: E402
from fastapi import FastAPI, HTTPException  # noqa: E402

app = FastAPI(title="rag-web")
cache = redis.Redis(
    host=REDIS_HOST,
    port=REDIS_PORT,
    socket_connect_timeout=2,
    socket_timeout=2,
    decode_responses=True,
)
where = f"{REDIS_HOST}:{REDIS_PORT}"


def unreachable(err: Exception, status: int) -> HTTPException:
    return HTTPException(status, f"cannot reach Redis at {where}: {err}")


@app.get("/")
def index():
    return {
        "service": "rag-web",
        "environment": ENVIRONMENT,
        "redis": where,
        "user": os.getuid(),
        "endpoints": ["/health", "/ready", "/hits"],
    }


@app.get("/health")
def health():
    """Liveness: the web process answers. Does not touch Redis."""
    return {"status": "ok"}


@app.get("/ready")
def ready():
    """Readiness: Redis answers too. Reads, never writes."""
    try:
        cache.ping()
        hits = int(cache.get("hits") or 0)
    except redis.RedisError as err:
        raise unreachable(err, 503) from err
    return {"status": "ready", "redis": where, "hits": hits}


@app.get("/hits")
def hits():
    """Counts visits in Redis."""
    try:
        count = cache.incr("hits")
    except redis.RedisError as err:
        raise unreachable(err, 500) from err
    return {"hits": count, "redis": where}


if __name__ == "__main__" and "--serve" in sys.argv:
    import uvicorn

    uvicorn.run(app, host="0.0.0.0", port=PORT)
PYEOF

cat > requirements.txt <<'TXT'
fastapi==0.115.11
uvicorn==0.32.0
redis==6.1.0
TXT

cat > Dockerfile.single <<'DOCKERFILE'
# One stage: everything the build needed stays in the image.
FROM python:3.13
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 8000
CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "8000"]
DOCKERFILE

cat > README.md <<'TXT'
# rag-web

A small FastAPI service: /health, /ready (checks Redis) and /hits (a counter in Redis).

    uvicorn app:app --host 0.0.0.0 --port 8000
    python app.py --health     # exit 0 when the server answers /health
TXT

# What a local "python -m venv .venv && pip install ..." leaves behind: a virtualenv built
# for this laptop, not for the image. 40 MB of it, to make its cost visible.
mkdir -p .venv/bin .venv/lib/python3.13/site-packages/pydantic_core
printf 'home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.13.5\n' > .venv/pyvenv.cfg
printf '# local virtualenv: do not ship me\n' > .venv/bin/activate
head -c 40M /dev/urandom > .venv/lib/python3.13/site-packages/pydantic_core/_pydantic_core.cpython-313-x86_64-linux-gnu.so
mkdir -p __pycache__
head -c 20k /dev/urandom > __pycache__/app.cpython-313.pyc
