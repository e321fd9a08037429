# web:dev and web:2.0.0 are the runtime stage, each labelled and configured with its version
# (org.opencontainers.image.version and APP_VERSION), and the Dockerfile gives the ARG the
# default value dev.
label=org.opencontainers.image.version
for want in 2.0.0 dev; do
  img=web:$want
  facts=$(docker image inspect -f '{{.Config.User}}{{"\n"}}{{index .Config.Labels "'$label'"}}{{"\n"}}{{range .Config.Env}}{{println .}}{{end}}' "$img" 2>/dev/null) ||
    fail "There is no image tagged $img yet."
  user=$(sed -n 1p <<<"$facts")
  [ -n "$user" ] || fail "$img is not the runtime stage (it has no USER): build the runtime stage."
  if ! docker image inspect -f '{{json .Config.Labels}}' "$img" | jq -e --arg l "$label" 'has($l)' >/dev/null 2>&1; then
    fail "$img has no $label label."
  fi
  got=$(sed -n 2p <<<"$facts")
  [ -n "$got" ] || fail "The $label label of $img is empty: \$APP_VERSION had no value where the LABEL uses it. An ARG declared before the first FROM is not visible inside a stage."
  [ "$got" = "$want" ] || fail "The $label label of $img says \"$got\", not \"$want\"."
  env=$(sed -n 's/^APP_VERSION=//p' <<<"$facts")
  [ -n "$env" ] || fail "$img does not set APP_VERSION in its environment, so the service cannot report its version."
  [ "$env" = "$want" ] || fail "APP_VERSION in $img is \"$env\", not \"$want\"."
done
# The default: web:dev (built without a value, as asked) says dev, and the Dockerfile gives
# APP_VERSION the default dev, in a stage or before the first FROM (which a stage's bare
# "ARG APP_VERSION" then inherits). The image's history shows only the ARG line of the
# stage, so the Dockerfile is read for it.
grep -qiE "^[[:space:]]*ARG[[:space:]]+APP_VERSION=([\"']?)dev\\1[[:space:]]*(#.*)?$" /root/app/Dockerfile 2>/dev/null ||
  fail "web:dev is labelled dev, but /root/app/Dockerfile gives APP_VERSION no default value of dev: without --build-arg, a build would get no version."
pass
