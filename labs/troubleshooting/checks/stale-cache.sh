want="site release 1.1"
id=$(docker image inspect -f '{{.Id}}' site:v2 2>/dev/null) || fail "There is no image \"site:v2\" yet."
[ "$id" != "$(docker image inspect -f '{{.Id}}' site:v1 2>/dev/null)" ] ||
  fail "\"site:v2\" is the very same image as \"site:v1\", so it still has the release notes of 1.0."
out=$(timeout 10 docker run --rm site:v2 2>&1) || fail "\"docker run --rm site:v2\" fails: ${out##*$'\n'}"
out=${out%$'\n'}
case "$out" in
  "$want") pass ;;
  *"release 1.0"*) fail "\"site:v2\" still prints the release notes of 1.0, but the release server now publishes 1.1." ;;
  *) fail "\"site:v2\" prints \"${out:0:80}\", not the current release notes (\"$want\")." ;;
esac
