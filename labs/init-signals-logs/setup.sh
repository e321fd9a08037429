#!/bin/bash
# Runs once in a fresh sandbox: a worker that only stops cleanly on SIGINT, in /root/drain
# (its Dockerfile has no STOPSIGNAL yet), and a chatty Compose service in /root/logs that
# prints about 6 MB of log lines and then sleeps, with no logging settings of its own.
set -euo pipefail
mkdir -p /root/drain /root/logs

cat > /root/drain/worker.py <<'PYEOF'
"""drain-worker: works through jobs, one a second, and stops the way a terminal user stops it.

It was written to be stopped with Ctrl+C, which sends SIGINT: it then finishes the batch of
jobs in hand (about 12 seconds) and exits with code 0. It has no handler for SIGTERM.
"""

import signal
import sys
import time

DRAIN_SECONDS = 12
stopping = False


def on_sigint(_signum, _frame):
    global stopping
    if not stopping:
        print(f"worker: got SIGINT, finishing the batch in hand ({DRAIN_SECONDS} s)", flush=True)
    stopping = True


signal.signal(signal.SIGINT, on_sigint)

print("worker: started; Ctrl+C (SIGINT) finishes the batch in hand, then exits", flush=True)
job = 0
while not stopping:
    job += 1
    if job % 10 == 0:
        print(f"worker: {job} jobs done", flush=True)
    time.sleep(1)

time.sleep(DRAIN_SECONDS)
print("worker: batch finished, exiting cleanly", flush=True)
sys.exit(0)
PYEOF

cat > /root/drain/Dockerfile <<'EOF'
FROM python:3.13-slim
COPY worker.py /app/worker.py
CMD ["python", "/app/worker.py"]
EOF

cat > /root/logs/compose.yaml <<'EOF'
services:
  chatty:
    image: debian
    # About 6 MB of numbered lines as fast as it can, then nothing: like a service with a
    # noisy start-up, or a debug setting left on.
    command:
      - sh
      - -c
      - "seq -f 'chatty line %06g: the quick brown fox jumps over the lazy dog, again and again' 1 40000; exec sleep infinity"
    # As PID 1, sleep ignores SIGTERM; with an init the container stops at once.
    init: true
EOF
