#!/bin/bash
# Runs once in a fresh sandbox: leaves four broken situations for the learner to diagnose.
set -euo pipefail
export DOCKER_CLI_HINTS=false
cd /root

# 1. Port in use: an old, unnamed web server already publishes host port 8080.
docker run -d -p 8080:80 nginx >/dev/null

# 2. Out of memory: a batch job with a memory limit far below what it loads.
mkdir -p /root/cruncher
cat >/root/cruncher/crunch.sh <<'EOF'
#!/bin/bash
# A batch job that loads its records into memory before processing them.
set -euo pipefail
echo "cruncher: loading 64 MB of records into memory"
# tail holds its whole last line in memory, and /dev/zero has no line breaks.
bytes=$(head -c 64M /dev/zero | tail -n 1 | wc -c)
echo "cruncher: processed $bytes bytes"
echo "cruncher: finished"
EOF
chmod +x /root/cruncher/crunch.sh
cat >/root/cruncher/Dockerfile <<'EOF'
FROM debian
COPY crunch.sh /usr/local/bin/crunch
CMD ["crunch"]
EOF
docker build -q -t cruncher /root/cruncher >/dev/null
docker run -d --name cruncher --memory 32m cruncher >/dev/null

# 3. Volume permissions: an app running as UID 1000 writes to a volume that root created.
mkdir -p /root/perm
cat >/root/perm/writer.sh <<'EOF'
#!/bin/bash
# Appends a line to /data/heartbeat.log every 5 seconds.
set -euo pipefail
trap 'exit 0' TERM INT
echo "writer: running as UID $(id -u), appending to /data/heartbeat.log every 5 s"
while true; do
  echo "$(date -u +%FT%TZ) writer is alive" >>/data/heartbeat.log
  sleep 5 &
  wait $!
done
EOF
chmod +x /root/perm/writer.sh
cat >/root/perm/Dockerfile <<'EOF'
FROM debian
RUN useradd --uid 1000 --create-home app
COPY writer.sh /usr/local/bin/writer
USER 1000
CMD ["writer"]
EOF
docker build -q -t writer /root/perm >/dev/null
docker volume create app-data >/dev/null
docker run --rm -v app-data:/data debian \
  bash -c 'echo "Created by the first version of the app, which ran as root." >/data/README'
docker run -d --name writer -v app-data:/data writer >/dev/null

# 4. Stale cache: site bakes in the release notes it downloads at build time.
mkdir -p /root/releases /root/site
echo "site release 1.0" >/root/releases/release.txt
docker run -d --name releases -p 8090:80 -v /root/releases:/var/www/html:ro nginx >/dev/null
cat >/root/site/fetch <<'EOF'
#!/bin/bash
# fetch http://HOST:PORT/PATH - print a web page (a tiny curl: the debian image has none).
set -euo pipefail
rest=${1#http://}
hostport=${rest%%/*}
path=/${rest#*/}
host=${hostport%%:*}
port=${hostport#*:}
[ "$port" = "$hostport" ] && port=80
exec 3<>"/dev/tcp/$host/$port"
printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$host" >&3
IFS= read -r status <&3
case "$status" in
  *" 200 "*) ;;
  *) echo "fetch: $1: ${status%$'\r'}" >&2; exit 1 ;;
esac
sed '1,/^\r$/d' <&3
EOF
chmod +x /root/site/fetch
cat >/root/site/Dockerfile <<'EOF'
FROM debian
COPY fetch /usr/local/bin/fetch
# Download the current release notes from the release server.
# 172.17.0.1 is this sandbox, as seen from a container on Docker's default network.
RUN fetch http://172.17.0.1:8090/release.txt >/release.txt
CMD ["cat", "/release.txt"]
EOF
for _ in $(seq 50); do
  curl -fs -o /dev/null http://localhost:8090/release.txt && break
  sleep 0.2
done
docker build -q -t site:v1 /root/site >/dev/null
# The team has published a new release since site:v1 was built.
echo "site release 1.1" >/root/releases/release.txt
