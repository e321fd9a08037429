# Task watcher: /root/watch.sh runs `docker events` in the background and appends die and
# health_status events of web, keeper and crashy to /root/events.log as "TIME NAME ACTION".
# Lines count only if the engine really reported them (its recent event history).
[ -f /root/watch.sh ] || fail "There is no /root/watch.sh yet."
grep -Eq 'docker +(system +)?events' /root/watch.sh || fail "/root/watch.sh does not run docker events."
[ -s /root/events.log ] || fail "/root/events.log is missing or empty: is the watcher running, and has anything happened since it started?"
bad=$(grep -Evx '[0-9]+ [A-Za-z0-9][A-Za-z0-9_.-]* (die|health_status: [a-z]+)' /root/events.log | head -n 1)
[ -z "$bad" ] || fail "This line of events.log is not a \"TIME NAME ACTION\" line for a die or health_status event: ${bad:0:120}"
other=$(awk '$2 != "web" && $2 != "keeper" && $2 != "crashy" {print $2; exit}' /root/events.log)
[ -z "$other" ] || fail "events.log has events of \"$other\": only web, keeper and crashy should be logged."
real=$(docker events --since 0 --until "$(date +%s.%N)" --filter type=container \
  --filter event=die --filter event=health_status \
  --format '{{.Time}} {{.Actor.Attributes.name}} {{.Action}}' 2>/dev/null)
verified=$(grep -Fx -f <(printf '%s\n' "$real") /root/events.log | sort -u)
grep -q ' die$' <<<"$verified" \
  || fail "No die line in events.log matches an event the engine reported recently (it keeps only its last 256 events): make a watched container die while the watcher runs."
grep -q ' health_status: ' <<<"$verified" \
  || fail "No health_status line in events.log matches an event the engine reported recently (it keeps only its last 256 events): make a watched container change its health while the watcher runs."
names=$(awk '{print $2}' <<<"$verified" | sort -u | wc -l)
[ "$names" -ge 2 ] || fail "The recent events in events.log all come from one container: the watcher should catch events of at least two of them."
ps -eo args= | grep -E '(^|/)docker +(system +)?events( |$)' | grep -vq -- '--until' \
  || fail "events.log holds real events, but no docker events process is running now: start the watcher in the background and leave it running."
pass
