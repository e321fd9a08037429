#!/bin/bash
# Completes every task, the way a learner would type it.
set -euo pipefail
cd /root/ticker
sed -i 's/^ENTRYPOINT ticker$/ENTRYPOINT ["ticker"]/' Dockerfile
docker build -q -t ticker .
docker run -d --name ticker ticker 2
sleep 1
docker stop ticker
docker run --name peek --entrypoint cat ticker /usr/local/bin/ticker
docker run -d --name registry -p 5000:5000 registry
for _ in $(seq 50); do curl -fs http://localhost:5000/v2/ >/dev/null && break; sleep 0.2; done
docker tag ticker localhost:5000/tools/ticker:1.0
docker push localhost:5000/tools/ticker:1.0
docker rmi localhost:5000/tools/ticker:1.0
docker pull localhost:5000/tools/ticker:1.0
digest=$(docker image inspect -f '{{range .RepoDigests}}{{println .}}{{end}}' localhost:5000/tools/ticker:1.0 | grep '^localhost:5000/tools/ticker@')
docker rmi localhost:5000/tools/ticker:1.0
docker pull "$digest"
docker run -d --name from-registry "$digest" 3
docker run -d --name scratchpad \
  --mount type=volume,source=notes,target=/notes \
  --mount type=bind,source=/root/site,target=/site,readonly \
  --mount type=tmpfs,target=/scratch,tmpfs-size=16m \
  debian sleep infinity
docker run -d --name report --env-file /root/config/app.env -e REPORT_MODE=final debian sleep infinity
docker cp /root/config/notes.txt report:/srv/notes.txt
mkdir -p /root/out
docker cp report:/etc/hostname /root/out/hostname
