state=$(container_state worker)
[ -n "$state" ] || fail "The container \"worker\" is gone. Reset the lab to get it back."
[ "$state" = running ] && fail "\"worker\" is still waiting. Its logs say what for."
code=$(container_exit_code worker)
[ "$code" = 0 ] || fail "\"worker\" stopped with exit code $code instead of finishing on its own."
# A container of the learner's own named "worker" exits 0 too; only the lab's says it found the file.
docker logs --tail 5 worker 2>&1 | grep -q 'found /tmp/go' \
  || fail "This \"worker\" never waited for anything: it is not the lab's worker. Reset the lab to get it back."
pass
