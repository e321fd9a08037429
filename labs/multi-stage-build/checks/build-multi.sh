# /root/app/Dockerfile has two or more stages, and app:multi proves it from what it carries:
# its final stage is python:3.13-slim, it holds a virtualenv in /opt/venv with which the app
# (copied to /app) imports (the slim base has no pip, so those packages came from a builder
# stage), it runs as UID 1000, and its HEALTHCHECK fails while nothing serves.
df=/root/app/Dockerfile
[ -f "$df" ] || fail "There is no /root/app/Dockerfile yet."
stages=$(grep -ciE '^[[:space:]]*FROM[[:space:]]' "$df")
[ "$stages" -ge 2 ] || fail "/root/app/Dockerfile has $stages FROM line(s): a multi-stage build needs a builder stage and a runtime stage."
layers() { docker image inspect -f '{{range .RootFS.Layers}}{{.}} {{end}}' "$1" 2>/dev/null; }
{
  read -r id
  read -r user
  read -r health
  read -r mine
} < <(docker image inspect -f '{{.Id}}{{"\n"}}{{.Config.User}}{{"\n"}}{{json .Config.Healthcheck}}{{"\n"}}{{range .RootFS.Layers}}{{.}} {{end}}' app:multi 2>/dev/null)
[ -n "${id:-}" ] || fail "There is no image tagged app:multi yet."
slim=$(layers python:3.13-slim)
[ -n "$slim" ] || fail "The python:3.13-slim image is missing from the sandbox. Reset the lab to get it back."
# python:3.13 shares its first layers with python:3.13-slim, so also rule out the full image.
full=$(layers python:3.13)
if [[ "$mine" != "$slim"* ]] || { [ -n "$full" ] && [[ "$mine" == "$full"* ]]; }; then
  fail "The final stage of app:multi does not start from python:3.13-slim, so the build tools came along."
fi
case "${user%%:*}" in
  "" | root | 0) fail "app:multi runs as root: its final stage has no USER for an ordinary user." ;;
esac
mapfile -d '' test < <(jq -j '(.Test // [])[] + "\u0000"' <<<"$health" 2>/dev/null)
case "${test[0]:-NONE}" in
  CMD | CMD-SHELL) ;;
  *) fail "app:multi has no HEALTHCHECK, so Docker cannot tell whether the service inside works." ;;
esac

# What the image holds, asked of a throwaway container as the image's own user, without a
# network. An image's content never changes under its ID, so the answer is kept per ID.
# shellcheck disable=SC2016 # expanded by the container's shell
probe='echo "uid=$(id -u)"
kind=$1; shift
if [ "$kind" = CMD-SHELL ]; then timeout 5 /bin/sh -c "$1"; else timeout 5 "$@"; fi >/dev/null 2>&1
echo "health=$?"
if [ ! -e /opt/venv/pyvenv.cfg ]; then echo venv=none; exit 0; fi
if [ ! -x /opt/venv/bin/python ]; then echo venv=nopython; exit 0; fi
echo venv=ok
if [ ! -f /app/app.py ]; then echo code=none; exit 0; fi
if out=$(cd /app && /opt/venv/bin/python -c "import app, uvicorn" 2>&1); then echo import=ok
else echo "import=$(printf "%s\n" "$out" | grep -v "^[[:space:]]*$" | tail -n 1)"; fi'
cache=/var/cache/slipway-checks/multi-${id#sha256:}
facts=$(cat "$cache" 2>/dev/null)
if [ -z "$facts" ]; then
  if ! facts=$(timeout 20 docker run --rm --network none --entrypoint /bin/sh app:multi -c "$probe" probe "${test[@]}" 2>&1) ||
    ! grep -q '^health=' <<<"$facts"; then
    fail "A container from app:multi does not start: $(grep -v '^[[:space:]]*$' <<<"$facts" | tail -n 1)"
  fi
  mkdir -p "${cache%/*}" 2>/dev/null && printf '%s\n' "$facts" >"$cache" 2>/dev/null
fi
fact() { sed -n "s/^$1=//p" <<<"$facts" | head -n 1; }
case "$(fact venv)" in
  none) fail "app:multi has no virtualenv in /opt/venv: its runtime stage must carry the one its builder stage made." ;;
  nopython) fail "/opt/venv in app:multi is not a working virtualenv (it has no bin/python): is it the one the builder stage made?" ;;
esac
[ "$(fact code)" != none ] || fail "app:multi has no /app/app.py: the runtime stage must copy the code to /app."
imported=$(fact import)
[ "$imported" = ok ] || fail "In app:multi, /opt/venv/bin/python cannot import the app ($imported): were the requirements installed into that virtualenv?"
uid=$(fact uid)
[ "$uid" = 1000 ] || fail "app:multi runs as UID $uid, not as UID 1000."
[ "$(fact health)" != 0 ] || fail "The HEALTHCHECK of app:multi reports healthy even where the app is not running at all, so it does not check the service."
pass
