#!/bin/bash
# Completes every task, the way a learner would type it.
set -euo pipefail
docker run -d --name web -p 8080:80 nginx
docker run -d --name cache -v redis-data:/data redis
for _ in $(seq 50); do docker exec cache redis-cli ping >/dev/null 2>&1 && break; sleep 0.2; done
docker exec cache redis-cli SET lesson fundamentals
docker stop cache
docker rm cache
docker run -d --name cache -v redis-data:/data redis
docker logs worker
docker exec worker touch /tmp/go
