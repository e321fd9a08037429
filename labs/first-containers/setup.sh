#!/bin/bash
# Runs once in a fresh sandbox: start the stuck worker for the last task.
set -euo pipefail
docker run -d --name worker debian bash -c '
  echo "worker: started"
  until [ -f /tmp/go ]; do
    echo "worker: waiting for the file /tmp/go to exist"
    sleep 3
  done
  echo "worker: found /tmp/go, finishing"' >/dev/null
