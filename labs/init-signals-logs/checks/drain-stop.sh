# Task drain-stop: the image drainer (built from /root/drain) has STOPSIGNAL SIGINT; the
# container drainer carries a stop timeout of at least 15 s (the worker needs ~12 s after
# SIGINT); a docker stop let it finish: exit code 0 and its "batch finished" line.
sig=$(docker image inspect -f '{{.Config.StopSignal}}' drainer 2>/dev/null) ||
  fail "There is no image called drainer yet: build it from /root/drain."
is_sigint() { case "${1^^}" in SIGINT | INT | 2) return 0 ;; esac; return 1; }
[ -n "$sig" ] ||
  fail "The image drainer has no STOPSIGNAL: every container started from it gets SIGTERM from docker stop, which the worker has no handler for."
is_sigint "$sig" || fail "The image drainer sets STOPSIGNAL $sig, but the worker finishes its batch only on SIGINT."
state=$(container_state drainer)
[ -n "$state" ] || fail "There is no container named \"drainer\" yet."
case "$(container_image drainer)" in
  drainer | drainer:latest) ;;
  *) fail "The container \"drainer\" runs $(container_image drainer), not the drainer image." ;;
esac
read -r csig timeout started finished < <(docker container inspect \
  -f '{{.Config.StopSignal}} {{json .Config.StopTimeout}} {{.State.StartedAt}} {{.State.FinishedAt}}' drainer)
is_sigint "$csig" || fail "\"drainer\" overrides the image's stop signal with $csig."
[ "$timeout" != null ] ||
  fail "\"drainer\" has no stop timeout of its own: docker stop -t helps only that one stop, and any plain docker stop gives it the default 10 s, while the worker needs about 12 s after SIGINT."
[ "$timeout" -ge 15 ] 2>/dev/null ||
  fail "\"drainer\" allows only $timeout s between the stop signal and SIGKILL; the worker needs about 12 s after SIGINT."
case "$state" in
  running) fail "\"drainer\" is running with the right stop signal and timeout. Now stop it with docker stop and let it finish its batch." ;;
  exited) ;;
  created) fail "The container \"drainer\" was created but never started." ;;
  *) fail "The container \"drainer\" is $state." ;;
esac
code=$(container_exit_code drainer)
# The worker's own lines since this run started, with the engine's timestamps.
logs=$(docker logs -t --since "$started" drainer 2>&1)
got=$(grep 'worker: got SIGINT' <<<"$logs" | tail -n 1 | cut -d' ' -f1)
case "$code" in
  0)
    grep -q 'worker: batch finished' <<<"$logs" ||
      fail "\"drainer\" exited with code 0, but its logs do not show the worker finishing its batch."
    pass "drainer got SIGINT and had time to finish its batch (exit code 0)." ;;
  137)
    [ -n "$got" ] ||
      fail "\"drainer\" was killed with SIGKILL (exit code 137) without ever getting SIGINT: docker kill does not ask first (and a stop in the first second after a start can come before the worker has set up its handler)."
    waited=$(( $(date -d "$finished" +%s) - $(date -d "$got" +%s) ))
    fail "\"drainer\" was killed with SIGKILL (exit code 137) about $waited s after it got SIGINT, before it could finish its batch: that stop did not wait long enough." ;;
  *) fail "\"drainer\" exited with code $code: docker logs drainer shows what happened." ;;
esac
