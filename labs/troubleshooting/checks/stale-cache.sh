# site:v2 is a new build of /root/site's Dockerfile as it is (the same steps as site:v1, from
# the image's history), and prints the release notes the server publishes now.
want="site release 1.1"
id=$(docker image inspect -f '{{.Id}}' site:v2 2>/dev/null) || fail "There is no image \"site:v2\" yet."
[ "$id" != "$(docker image inspect -f '{{.Id}}' site:v1 2>/dev/null)" ] ||
  fail "\"site:v2\" is the very same image as \"site:v1\", so it still has the release notes of 1.0."
# The steps an image was built with, as its history tells them, in words that BuildKit and the
# classic builder (DOCKER_BUILDKIT=0) share: a COPY by its destination only.
steps() {
  docker history --no-trunc --format '{{.CreatedBy}}' "$1" 2>/dev/null | sed -E \
    -e 's/[[:space:]]*# buildkit$//' -e 's|^/bin/sh -c #\(nop\)[[:space:]]+||' -e 's/^RUN //' \
    -e 's/^(COPY|ADD) .* ([^ ]+)[[:space:]]*$/\1 \2/' -e 's/[[:space:]]+$//'
}
v1=$(steps site:v1)
[ -z "$v1" ] || [ "$(steps site:v2)" = "$v1" ] ||
  fail "\"site:v2\" was not built from the Dockerfile in /root/site as it is: its steps differ from those of site:v1. The Dockerfile must stay unchanged."
out=$(timeout 10 docker run --rm site:v2 2>&1) || fail "\"docker run --rm site:v2\" fails: ${out##*$'\n'}"
out=${out%$'\n'}
case "$out" in
  "$want") pass ;;
  *"release 1.0"*) fail "\"site:v2\" still prints the release notes of 1.0, but the release server now publishes 1.1." ;;
  *) fail "\"site:v2\" prints \"${out:0:80}\", not the current release notes (\"$want\")." ;;
esac
