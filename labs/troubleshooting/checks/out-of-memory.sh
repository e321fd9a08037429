state=$(container_state cruncher)
[ -n "$state" ] || fail "There is no container named \"cruncher\" right now."
case "$(container_image cruncher)" in
  cruncher | cruncher:latest) ;;
  *) fail "The container \"cruncher\" runs $(container_image cruncher), not the cruncher image." ;;
esac
case "$state" in
  running) fail "\"cruncher\" is still working. Give it a moment." ;;
  created) fail "\"cruncher\" was created but never started." ;;
esac
read -r code oom mem < <(docker container inspect -f '{{.State.ExitCode}} {{.State.OOMKilled}} {{.HostConfig.Memory}}' cruncher)
[ "$oom" = true ] && fail "\"cruncher\" was killed because it ran out of memory (exit $code)."
[ "$code" = 0 ] || fail "\"cruncher\" stopped with exit code $code instead of finishing."
[ "$mem" != 0 ] || fail "\"cruncher\" finished, but it ran without any memory limit. Keep a limit, just a big enough one."
docker logs cruncher 2>&1 | grep -q '^cruncher: finished' || fail "\"cruncher\" exited with code 0, but it did not run its job to the end."
pass
