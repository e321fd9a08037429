#!/bin/bash
# Runs once in a fresh sandbox: the rag-web service in /root/app, ready to build (the
# multi-stage Dockerfile from the previous lab), and an .env copied from someone's laptop,
# where Redis really was on localhost.
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

cat > Dockerfile <<'DOCKERFILE'
# Builder: pip and venv install the dependencies into /opt/venv.
FROM python:3.13 AS builder
RUN python -m venv /opt/venv
COPY requirements.txt .
RUN /opt/venv/bin/pip install --no-cache-dir -r requirements.txt

# Runtime: the virtualenv and the code on the slim image, as UID 1000.
FROM python:3.13-slim
RUN useradd --uid 1000 --create-home appuser
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY . .
ENV PATH=/opt/venv/bin:$PATH
USER appuser
EXPOSE 8000
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 CMD ["python", "app.py", "--health"]
CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "8000"]
DOCKERFILE

cat > .dockerignore <<'TXT'
.venv/
__pycache__/
*.pyc
.env
compose.yaml
docker-compose.yml
TXT

# Settings for the web service. Copied from a laptop where Redis ran next to the app.
cat > .env <<'TXT'
ENVIRONMENT=development
REDIS_HOST=localhost
REDIS_PORT=6379
PORT=8000
TXT
