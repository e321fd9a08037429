# peek: a container of the ticker image whose ENTRYPOINT was replaced, so that it printed the
# script instead of running it. Proven from how it was started (Path) and what it printed.
state=$(container_state peek)
[ -n "$state" ] || fail "There is no container named \"peek\" yet."
case "$(container_image peek)" in
  ticker | ticker:latest | sha256:*) ;;
  *) fail "The container \"peek\" runs $(container_image peek), not your ticker image." ;;
esac
path=$(docker inspect -f '{{.Path}}' peek)
case "$path" in
  ticker | /usr/local/bin/ticker)
    fail "\"peek\" still ran the image's ENTRYPOINT, ticker: the words after the image name only replace CMD, and ticker took them as its interval." ;;
esac
[ "$state" = created ] && fail "\"peek\" could not start: there is no program called \"$path\" in the image. --entrypoint takes a program only; its arguments go after the image name."
[ "$state" = running ] && fail "\"peek\" is still running instead of printing the script and exiting."
code=$(container_exit_code peek)
[ "$code" = 0 ] || fail "\"peek\" exited with code $code: docker logs peek shows what went wrong."
logs=$(docker logs peek 2>&1)
case "$logs" in
  '#!/bin/bash'*"SIGTERM received, stopping cleanly"*) pass ;;
esac
fail "\"peek\" did not print the script /usr/local/bin/ticker."
