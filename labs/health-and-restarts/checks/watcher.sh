# Task watcher: /root/watch.sh runs `docker events` in the background and appends die and
# health_status events of web, keeper and crashy to /root/events.log as "TIME NAME ACTION".
# The log is the learner's product. Its lines are held against what lasts in the engine, never
# against its event history (it keeps only its last 256 events, which health probes rotate out
# within a minute or two): a die line is real when it is the container's last stop
# (.State.FinishedAt), a health_status line when it came after the container's last start and
# names its health now. A watcher that keeps running logs both as they happen.
[ -f /root/watch.sh ] || fail "There is no /root/watch.sh yet."
grep -Eq 'docker +(system +)?events' /root/watch.sh || fail "/root/watch.sh does not run docker events."
[ -s /root/events.log ] || fail "/root/events.log is missing or empty: is the watcher running, and has anything happened since it started?"
bad=$(grep -Evx '[0-9]+ [A-Za-z0-9][A-Za-z0-9_.-]* (die|health_status: [a-z]+)' /root/events.log | head -n 1)
[ -z "$bad" ] || fail "This line of events.log is not a \"TIME NAME ACTION\" line for a die or health_status event: ${bad:0:120}"
other=$(awk '$2 != "web" && $2 != "keeper" && $2 != "crashy" {print $2; exit}' /root/events.log)
[ -z "$other" ] || fail "events.log has events of \"$other\": only web, keeper and crashy should be logged."
now=$(date +%s)
odd=$(awk -v now="$now" '$1 < 1000000000 || $1 > now + 60 {print; exit}' /root/events.log)
[ -z "$odd" ] || fail "The time in this line of events.log is not the Unix time in seconds (like $now): ${odd:0:120}"
# Per container: name, last stop, last start (Unix seconds), health now.
facts=$(docker container inspect web keeper crashy 2>/dev/null | jq -r '.[] | def t: sub("\\.[0-9]+"; "") | fromdateiso8601? // 0;
  [(.Name | ltrimstr("/")), (.State.FinishedAt | t), (.State.StartedAt | t), (.State.Health.Status // "none")] | @tsv')
verified=$(FACTS=$facts awk '
  BEGIN { n = split(ENVIRON["FACTS"], rows, "\n"); for (i = 1; i <= n; i++) { split(rows[i], f, "\t"); stop[f[1]] = f[2]; start[f[1]] = f[3]; health[f[1]] = f[4] } }
  $3 == "die" && ($2 in stop) && stop[$2] > 0 && $1 - stop[$2] <= 1 && stop[$2] - $1 <= 1 { print $2, "die" }
  $3 == "health_status:" && ($2 in start) && $1 >= start[$2] - 1 && $4 == health[$2] { print $2, "health" }
' /root/events.log | sort -u)
if ! grep -q ' die$' <<<"$verified"; then
  grep -q ' die$' /root/events.log ||
    fail "events.log has no die line yet: make a watched container die (crash or restart it) while the watcher runs."
  fail "No die line in events.log matches the last time web, keeper or crashy stopped (docker inspect shows it as .State.FinishedAt): make a watched container die while the watcher runs."
fi
if ! grep -q ' health$' <<<"$verified"; then
  grep -q ' health_status: ' /root/events.log ||
    fail "events.log has no health_status line yet: make the health of a watched container change while the watcher runs."
  fail "No health_status line in events.log shows the health a watched container has now, since it last started (docker inspect shows both): make its health change while the watcher runs."
fi
names=$(awk '{print $1}' <<<"$verified" | sort -u | wc -l)
[ "$names" -ge 2 ] || fail "The events in events.log that match the containers' state all come from one container: the watcher should catch events of at least two of them."
sandbox_processes | sed -E 's/^ *[0-9]+ //' | grep -E '(^|/)docker +(system +)?events( |$)' | grep -vq -- '--until' \
  || fail "events.log holds real events, but no docker events process is running now: start the watcher in the background and leave it running."
pass
