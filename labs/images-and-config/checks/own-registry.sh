# own-registry, proven from the registry's own API, asked from inside the sandbox's network at
# the registry container's address (not through anything the learner's shell can answer); from
# its request log, which lasts as long as the container: the learner's engine asked it for a
# manifest of tools/ticker, which a pull does (HEAD of the tag, GET of the digest) and a push
# never does (a push records the digest on the machine too, so RepoDigests cannot tell them
# apart); and from the container "from-registry": started by a digest reference that is the
# very digest the registry serves for tools/ticker:1.0, of an image that carries it.
require_running registry
case "$(container_image registry)" in
  registry | registry:latest | registry:2) ;;
  *) fail "The container \"registry\" runs $(container_image registry), not the registry image." ;;
esac
[ "$(host_port registry 5000/tcp)" = 5000 ] || fail "\"registry\" is running, but its port 5000 is not published on port 5000."
ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' registry)
ip=${ip%% *}
[ -n "$ip" ] || fail "\"registry\" has no address on a Docker network."
catalog=$(curl -fsS -m 3 "http://$ip:5000/v2/_catalog" 2>/dev/null) || fail "The registry in \"registry\" does not answer yet."
jq -e '.repositories | index("tools/ticker")' <<<"$catalog" >/dev/null \
  || fail "Your registry has no repository tools/ticker: nothing was pushed to it under that name yet."
types='application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json'
digest=$(curl -fsS -m 3 -I -H "Accept: $types" "http://$ip:5000/v2/tools/ticker/manifests/1.0" 2>/dev/null \
  | tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: *//p')
[ -n "$digest" ] || fail "Your registry has tools/ticker, but no tag 1.0 in it."
# The access log (gorilla's combined format) or, with that turned off, the request lines.
docker logs registry 2>&1 | grep -qE \
  -e '"(GET|HEAD) /v2/tools/ticker/manifests/[^ ]+ HTTP/[0-9.]+" 200 [0-9]+ "[^"]*" "docker/' \
  -e 'http\.request\.method=(GET|HEAD) .*http\.request\.uri="?/v2/tools/ticker/manifests/[^ ]* http\.request\.useragent="docker/.*http\.response\.status=200' \
  || fail "Your registry holds tools/ticker:1.0, but it has not been pulled back from there yet: a push alone records its digest on your machine too. Remove your local name localhost:5000/tools/ticker:1.0 and pull it again from localhost:5000 (docker logs registry shows every request your registry answers)."
state=$(container_state from-registry)
[ -n "$state" ] || fail "Your registry holds tools/ticker:1.0. There is no container named \"from-registry\" yet."
ref=$(docker inspect -f '{{.Config.Image}}' from-registry)
case "$ref" in
  *@sha256:*) ;;
  *) fail "\"from-registry\" was started from $ref, a tag, not from a digest (NAME@sha256:...)." ;;
esac
case "$ref" in
  localhost:5000/tools/ticker@"$digest" | 127.0.0.1:5000/tools/ticker@"$digest") ;;
  *@"$digest") fail "\"from-registry\" was started from $ref: the right digest, but not the image in your registry on port 5000." ;;
  *) fail "\"from-registry\" was started from $ref, but your registry serves tools/ticker:1.0 as $digest." ;;
esac
[ "$state" = created ] && fail "\"from-registry\" was created but never started."
image=$(docker inspect -f '{{.Image}}' from-registry)
docker image inspect -f '{{range .RepoDigests}}{{println .}}{{end}}' "$image" 2>/dev/null | grep -qxF "$ref" \
  || fail "The image \"from-registry\" runs does not carry the digest $digest."
pass
