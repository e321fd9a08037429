# .venv and __pycache__ must stay out of the build context of /root/app/Dockerfile, and .venv
# out of app:multi, which must still carry the code. BuildKit reads Dockerfile.dockerignore
# next to the Dockerfile in preference to the context's .dockerignore, so either may do it.
dir=/root/app
ignore=
for f in "$dir/Dockerfile.dockerignore" "$dir/.dockerignore"; do
  [ -f "$f" ] && { ignore=$f; break; }
done
[ -n "$ignore" ] || fail "There is no /root/app/.dockerignore yet."
[ -f "$dir/.venv/pyvenv.cfg" ] || fail "/root/app/.venv/pyvenv.cfg is gone, so the check cannot tell whether .dockerignore keeps the folder out. The point is to ignore it, not delete it: Reset the lab to get it back."
# The context exactly as a build of the Dockerfile sees it, after the ignore file that build
# reads: copied out by a scratch build whose Dockerfile has that ignore file beside it.
probe=$(mktemp -d)
printf 'FROM scratch\nCOPY . /\n' >"$probe/Dockerfile"
cp "$ignore" "$probe/Dockerfile.dockerignore"
if ! out=$(docker buildx build -q -f "$probe/Dockerfile" --output "type=local,dest=$probe/ctx" "$dir" 2>&1); then
  rm -rf "$probe"
  fail "Could not try the build context: $(tail -n 1 <<<"$out")"
fi
leaked=
for name in .venv __pycache__; do
  [ -n "$(find "$probe/ctx/$name" -type f -print -quit 2>/dev/null)" ] && { leaked=$name; break; }
done
rm -rf "$probe"
if [ -n "$leaked" ]; then
  if [ "$ignore" = "$dir/Dockerfile.dockerignore" ]; then
    fail "$leaked still reaches the build context: Docker reads /root/app/Dockerfile.dockerignore (it takes precedence over .dockerignore), and no line of it matches $leaked."
  fi
  fail "$leaked still reaches the build context: no line of /root/app/.dockerignore matches it."
fi
id=$(docker image inspect -f '{{.Id}}' app:multi 2>/dev/null) || fail "There is no image tagged app:multi yet."
# What the image holds; an image's content never changes under its ID, so it is kept per ID.
cache=/var/cache/slipway-checks/ignore-${id#sha256:}
facts=$(cat "$cache" 2>/dev/null)
if [ -z "$facts" ]; then
  # shellcheck disable=SC2016 # expanded by the container's shell
  facts=$(timeout 20 docker run --rm --network none --user 0 --entrypoint /bin/sh app:multi -c \
    'echo "venv=$(find / -xdev -name .venv -print -quit)"; [ -f /app/app.py ] && echo code=ok; echo done' 2>&1)
  grep -q '^done$' <<<"$facts" || fail "Could not look inside app:multi: $(tail -n 1 <<<"$facts")"
  mkdir -p "${cache%/*}" 2>/dev/null && printf '%s\n' "$facts" >"$cache" 2>/dev/null
fi
found=$(sed -n 's/^venv=//p' <<<"$facts")
[ -z "$found" ] || fail "app:multi still contains $found: it was built before .dockerignore left .venv out. Rebuild it."
grep -q '^code=ok$' <<<"$facts" || fail "app:multi has no /app/app.py any more: the ignore file leaves out the code too."
pass
