# exec-form, proven from what the container did: it ran ticker itself with the learner's
# argument (its logs name the interval), and docker stop's SIGTERM reached it (it said so
# and exited 0, rather than being killed after the grace period with 137).
state=$(container_state ticker)
[ -n "$state" ] || fail "There is no container named \"ticker\" yet."
case "$(container_image ticker)" in
  ticker | ticker:latest) ;;
  sha256:*) fail "\"ticker\" runs an older build of the ticker image: remove the container and run a new one." ;;
  *) fail "The container \"ticker\" runs $(container_image ticker), not the ticker image you build." ;;
esac
path=$(docker inspect -f '{{.Path}}' ticker)
if [ "$state" = created ]; then
  fail "\"ticker\" could not start: Docker tried to run \"$path\" as its program. docker ps -a shows the error."
fi
logs=$(docker logs ticker 2>&1)
code=$(container_exit_code ticker)
if [ "$code" = 137 ] && [[ $logs != *"SIGTERM received"* ]]; then
  fail "\"ticker\" was killed (exit code 137) without receiving SIGTERM: docker stop's SIGTERM never reached ticker, so Docker killed it when the grace period ran out (or it was killed outright)."
fi
interval=$(sed -n 's/^ticker: one tick every \([0-9]*\) s$/\1/p' <<<"$logs" | head -n 1)
[ -n "$interval" ] || fail "\"ticker\" never started ticking: docker logs ticker shows what it printed."
[ "$interval" = 2 ] || fail "\"ticker\" ticked every $interval s instead of every 2 s: the 2 you gave docker run never reached ticker."
[ "$state" = running ] && fail "\"ticker\" runs with the right interval. Now stop it with docker stop, and see how long that takes."
[[ $logs == *"SIGTERM received"* ]] || fail "\"ticker\" stopped with exit code $code without receiving SIGTERM."
[ "$code" = 0 ] || fail "\"ticker\" stopped with exit code $code instead of 0."
pass
