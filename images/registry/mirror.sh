#!/bin/bash
# The classroom mirror's two processes: a read-only docker-registry on 127.0.0.1:5001, run as
# the unprivileged docker-registry user, and nginx on :5000 in front of it (nginx.conf). When
# either one exits the container exits too, and Docker's restart policy starts both again.
set -u
# Its HTTP secret only signs upload state, which a read-only registry never hands out; set
# one so it does not warn about making one up.
REGISTRY_HTTP_SECRET=$(head -c 24 /dev/urandom | base64) \
  setpriv --reuid=docker-registry --regid=docker-registry --clear-groups --no-new-privs \
  docker-registry serve /etc/docker/registry/config-readonly.yml &
registry=$!
nginx -g 'daemon off;' &
web=$!

stop() {
  kill -TERM "$registry" "$web" 2>/dev/null
  wait
}
trap 'stop; exit 0' TERM INT

wait -n "$registry" "$web"
status=$?
if kill -0 "$registry" 2>/dev/null; then gone=nginx; else gone=docker-registry; fi
echo "slipway-mirror: $gone exited with status $status; stopping" >&2
stop
exit 1
