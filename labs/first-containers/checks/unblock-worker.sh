state=$(container_state worker)
[ -n "$state" ] || fail "The container \"worker\" is gone. Reset the lab to get it back."
[ "$state" = running ] && fail "\"worker\" is still waiting. Its logs say what for."
code=$(container_exit_code worker)
[ "$code" = 0 ] || fail "\"worker\" stopped with exit code $code instead of finishing on its own."
pass
