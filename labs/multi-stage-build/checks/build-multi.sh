# /root/app/Dockerfile has two or more stages; app:multi's final stage is python:3.13-slim,
# runs as a non-root USER and has a HEALTHCHECK.
df=/root/app/Dockerfile
[ -f "$df" ] || fail "There is no /root/app/Dockerfile yet."
stages=$(grep -ciE '^[[:space:]]*FROM[[:space:]]' "$df")
[ "$stages" -ge 2 ] || fail "/root/app/Dockerfile has $stages FROM line(s): a multi-stage build needs a builder stage and a runtime stage."
layers() { docker image inspect -f '{{range .RootFS.Layers}}{{.}} {{end}}' "$1" 2>/dev/null; }
mine=$(layers app:multi)
[ -n "$mine" ] || fail "There is no image tagged app:multi yet."
slim=$(layers python:3.13-slim)
[ -n "$slim" ] || fail "The python:3.13-slim image is missing from the sandbox. Reset the lab to get it back."
# python:3.13 shares its first layers with python:3.13-slim, so also rule out the full image.
full=$(layers python:3.13)
if [[ "$mine" != "$slim"* ]] || { [ -n "$full" ] && [[ "$mine" == "$full"* ]]; }; then
  fail "The final stage of app:multi does not start from python:3.13-slim, so the build tools came along."
fi
user=$(docker image inspect -f '{{.Config.User}}' app:multi)
case "${user%%:*}" in
  "" | root | 0) fail "app:multi runs as root: its final stage has no USER for an ordinary user." ;;
esac
test=$(docker image inspect -f '{{with .Config.Healthcheck}}{{join .Test " "}}{{end}}' app:multi)
[ -n "$test" ] && [ "$test" != NONE ] || fail "app:multi has no HEALTHCHECK, so Docker cannot tell whether the service inside works."
pass
