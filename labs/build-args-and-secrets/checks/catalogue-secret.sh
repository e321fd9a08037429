# web:catalogue holds /app/catalogue.json, written by fetch_catalogue.py with the sandbox's
# token (its receipt is an HMAC of the token, so it cannot come from a wrong one), and the
# token is nowhere in the image: not in its configuration or history (an ARG or ENV), not in
# any layer (a file copied in and deleted later stays in the layer that added it).
tokenfile=/root/secrets/catalogue-token
token=$(tr -d '[:space:]' <"$tokenfile" 2>/dev/null)
[ -n "$token" ] || fail "$tokenfile is missing or empty, so the check cannot tell where the token went. Reset the lab to get it back."
id=$(docker image inspect -f '{{.Id}}' web:catalogue 2>/dev/null) || fail "There is no image tagged web:catalogue yet."
{ docker image inspect web:catalogue; docker history --no-trunc --format '{{.CreatedBy}}' web:catalogue; } |
  grep -qF "$token" &&
  fail "The token is in the configuration of web:catalogue: docker history (or docker image inspect) shows it to anyone who has the image. Build arguments and ENV are recorded there."
docker save web:catalogue | grep -aqF "$token" &&
  fail "The token is in a layer of web:catalogue: a file copied into the image stays in the layer that added it, even if a later step deletes it."
# The catalogue, as the image holds it; an image's content never changes under its ID.
cache=/var/cache/slipway-checks/catalogue-${id#sha256:}
json=$(cat "$cache" 2>/dev/null)
if [ -z "$json" ]; then
  json=$(timeout 20 docker run --rm --network none --user 0 --entrypoint cat web:catalogue /app/catalogue.json 2>/dev/null) ||
    fail "web:catalogue has no /app/catalogue.json: the build must run fetch_catalogue.py in /app."
  mkdir -p "${cache%/*}" 2>/dev/null && printf '%s\n' "$json" >"$cache" 2>/dev/null
fi
receipt=$(jq -r '.receipt // empty' <<<"$json" 2>/dev/null)
want=$(perl -MDigest::SHA=hmac_sha256_hex -e 'print substr(hmac_sha256_hex("catalogue", $ARGV[0]), 0, 16)' "$token")
[ "$receipt" = "$want" ] ||
  fail "/app/catalogue.json in web:catalogue was not written by fetch_catalogue.py with this sandbox's token."
pass
