# env-and-cp: the container's environment as the engine recorded it, a file inside it (read
# through docker exec), and a file in the learner's home that only a copy out can hold: the
# container's hostname is its own short ID.
require_running report
env=$(docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' report)
for want in 'REPORT_TITLE=Weekly numbers' 'REPORT_LANG=en'; do
  grep -qxF "$want" <<<"$env" || fail "\"report\" has no ${want%%=*} from /root/config/app.env in its environment."
done
mode=$(sed -n 's/^REPORT_MODE=//p' <<<"$env")
grep -q '^REPORT_MODE=' <<<"$env" || fail "\"report\" has no REPORT_MODE in its environment."
[ "$mode" = final ] || fail "REPORT_MODE in \"report\" is \"$mode\", not \"final\"."
notes=$(docker exec report cat /srv/notes.txt 2>/dev/null) || fail "\"report\" has no file /srv/notes.txt yet."
[ "$notes" = "$(cat /root/config/notes.txt 2>/dev/null)" ] || fail "/srv/notes.txt in \"report\" is not a copy of /root/config/notes.txt."
[ -f /root/out/hostname ] || fail "There is no file /root/out/hostname in the sandbox yet."
id=$(docker inspect -f '{{.Id}}' report)
[ "$(head -c 64 /root/out/hostname | tr -d '\n')" = "${id:0:12}" ] \
  || fail "/root/out/hostname does not hold the hostname of \"report\": it is not a copy of that container's /etc/hostname."
pass
