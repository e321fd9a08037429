require_running cache
value=$(docker exec cache redis-cli GET lesson 2>/dev/null) || fail "Redis in \"cache\" does not answer yet."
[ -n "$value" ] || fail "Redis in \"cache\" has no key named \"lesson\"."
[ "$value" = fundamentals ] || fail "The key \"lesson\" holds \"$value\", not \"fundamentals\"."
pass
