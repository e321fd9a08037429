# "cruncher" (the cruncher image, its own job) ran to the end with exit code 0, under a
# memory limit: its log says it processed all 64 MB it loads.
state=$(container_state cruncher)
[ -n "$state" ] || fail "There is no container named \"cruncher\" right now."
case "$(container_image cruncher)" in
  cruncher | cruncher:latest) ;;
  *)
    [ "$(docker container inspect -f '{{.Image}}' cruncher 2>/dev/null)" = "$(docker image inspect -f '{{.Id}}' cruncher 2>/dev/null)" ] ||
      fail "The container \"cruncher\" runs $(container_image cruncher), not the cruncher image." ;;
esac
case "$state" in
  running) fail "\"cruncher\" is still working. Give it a moment." ;;
  created) fail "\"cruncher\" was created but never started." ;;
esac
read -r code oom mem < <(docker container inspect -f '{{.State.ExitCode}} {{.State.OOMKilled}} {{.HostConfig.Memory}}' cruncher)
[ "$oom" = true ] && fail "\"cruncher\" was killed because it ran out of memory (exit $code)."
[ "$code" = 0 ] || fail "\"cruncher\" stopped with exit code $code instead of finishing."
[ "$mem" != 0 ] || fail "\"cruncher\" finished, but it ran without any memory limit. Keep a limit, just a big enough one."
logs=$(docker logs cruncher 2>&1)
grep -q '^cruncher: finished' <<<"$logs" || fail "\"cruncher\" exited with code 0, but it did not run its job to the end."
# 64 MB: what the job in /root/cruncher loads. A job changed to load less is not the fix.
grep -q '^cruncher: processed 67108864 bytes' <<<"$logs" ||
  fail "\"cruncher\" finished, but it did not process all 64 MB of records: the job itself must stay as it is."
pass
