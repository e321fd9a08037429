#!/bin/bash
# Runs once in a fresh sandbox: the ticker project (a shell-form ENTRYPOINT to fix), a folder
# to bind-mount, and a settings file plus a file to copy in.
set -euo pipefail
mkdir -p /root/ticker /root/site /root/config
cat >/root/ticker/ticker.sh <<'EOF'
#!/bin/bash
# Prints a tick every INTERVAL seconds (its first argument, 5 by default) until asked to stop.
interval=${1:-5}
case "$interval" in
  '' | *[!0-9]*) echo "ticker: the interval must be a number of seconds, not \"$interval\"" >&2; exit 2 ;;
esac
trap 'echo "ticker: SIGTERM received, stopping cleanly"; exit 0' TERM
echo "ticker: one tick every $interval s"
while :; do
  sleep "$interval" & wait $!
  echo "ticker: tick"
done
EOF
chmod +x /root/ticker/ticker.sh
cat >/root/ticker/Dockerfile <<'EOF'
FROM debian
COPY ticker.sh /usr/local/bin/ticker
ENTRYPOINT ticker
CMD ["5"]
EOF
echo '<h1>The team page</h1>' >/root/site/index.html
cat >/root/config/app.env <<'EOF'
# Settings of the report job, one NAME=value a line
REPORT_TITLE=Weekly numbers
REPORT_LANG=en
EOF
echo 'Numbers go up.' >/root/config/notes.txt
