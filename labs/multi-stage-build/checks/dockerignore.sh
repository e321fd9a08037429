# .venv must stay out of the build context and out of app:multi.
dir=/root/app
[ -f "$dir/.dockerignore" ] || fail "There is no /root/app/.dockerignore yet."
[ -f "$dir/.venv/pyvenv.cfg" ] || fail "/root/app/.venv/pyvenv.cfg is gone, so the check cannot tell whether .dockerignore keeps the folder out. The point is to ignore it, not delete it: Reset the lab to get it back."
# The context exactly as a build sees it, after .dockerignore: copied out by a scratch build.
ctx=$(mktemp -d)
if ! out=$(printf 'FROM scratch\nCOPY . /\n' |
  docker buildx build -q -f - --output "type=local,dest=$ctx" "$dir" 2>&1); then
  rm -rf "$ctx"
  fail "Could not try the build context: $(tail -n 1 <<<"$out")"
fi
leaked=$([ -e "$ctx/.venv" ] && echo yes)
rm -rf "$ctx"
[ -z "$leaked" ] || fail ".venv still reaches the build context: no line of .dockerignore matches it."
docker image inspect app:multi >/dev/null 2>&1 || fail "There is no image tagged app:multi yet."
found=$(docker run --rm --network none --user 0 --entrypoint find app:multi / -xdev -name .venv -print -quit 2>/dev/null)
[ -z "$found" ] || fail "app:multi still contains $found: it was built before .dockerignore left .venv out. Rebuild it."
pass
