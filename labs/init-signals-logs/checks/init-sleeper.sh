# Task init-sleeper: "sleeper" runs `sleep infinity` from debian with Docker's init as PID 1,
# and `docker stop` ended it through SIGTERM (exit code 143: 128 + 15), not with SIGKILL after
# the grace period (137). Without an init, sleep is PID 1 and ignores SIGTERM.
state=$(container_state sleeper)
[ -n "$state" ] || fail "There is no container named \"sleeper\" yet."
case "$(container_image sleeper)" in
  debian | debian:latest | debian:trixie) ;;
  *) fail "The container \"sleeper\" runs $(container_image sleeper), not the debian image." ;;
esac
read -r init cmd < <(docker container inspect -f '{{json .HostConfig.Init}} {{join .Config.Cmd " "}}' sleeper)
[ "$cmd" = "sleep infinity" ] ||
  fail "\"sleeper\" runs \"$cmd\", not \"sleep infinity\". (Everything after the image name is the command: Docker's options go before it.)"
code=$(container_exit_code sleeper)
if [ "$init" != true ]; then
  [ "$state" = exited ] && [ "$code" = 137 ] &&
    fail "\"sleeper\" has no init, so sleep was its PID 1: it ignored SIGTERM, and Docker killed it with SIGKILL once the grace period ran out (exit code 137)."
  fail "\"sleeper\" has no init, so sleep is its PID 1, and PID 1 ignores signals it has no handler for."
fi
case "$state" in
  running)
    first=$(docker top sleeper -o pid,args 2>/dev/null | sed -n 2p)
    case "$first" in
      *docker-init*) fail "\"sleeper\" runs under Docker's init (docker top shows docker-init first). Now stop it with docker stop." ;;
      *) fail "\"sleeper\" was created with an init, but docker top does not show docker-init as its first process." ;;
    esac ;;
  exited) ;;
  created) fail "The container \"sleeper\" was created but never started." ;;
  *) fail "The container \"sleeper\" is $state." ;;
esac
case "$code" in
  143) pass "sleeper ended on SIGTERM (exit code 143): docker-init passed the signal on to sleep." ;;
  137) fail "\"sleeper\" was killed with SIGKILL (exit code 137), not ended by SIGTERM: docker kill sends SIGKILL straight away, without the polite signal first." ;;
  *) fail "\"sleeper\" exited with code $code, not the 143 (128 + SIGTERM's 15) of a process ended by docker stop's SIGTERM." ;;
esac
