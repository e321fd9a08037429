#!/usr/bin/env bash
# Builds every image Slipway needs into the sandbox engine, from nothing but Debian packages.
#
#   base     debootstrap rootfs -> docker import   (skipped when its cache key is unchanged)
#   sandbox  the learner's machine: Docker Engine + Compose inside   (Dockerfile, layer cache)
#   registry the classroom mirror: read-only for sandboxes (scripts/ensure-registry.sh)
#   course/* images learners use inside their sandbox: nginx, redis, debian, ...; pushed to the
#            mirror through a short-lived writer container, their digests recorded in
#            $SLIPWAY_MIRROR_DIGESTS (default /var/lib/slipway/mirror-digests.tsv)
#
# With SLIPWAY_BASE_IMAGE set (e.g. debian:trixie on a host that reaches Docker Hub), the
# Dockerfiles start from that instead and the debootstrap step is skipped. With
# SLIPWAY_UPSTREAM_IMAGES=1, a course image whose folder has an `upstream` file (e.g.
# grafana/grafana-oss:11.3.0) is pulled from there instead of built as a stand-in.
#
#   build.sh                  everything
#   build.sh NAME...          the base plus only these (`sandbox`, `registry` or course image
#                             names; only the course images named are pushed)
source "$(dirname "$0")/../scripts/lib.sh"
ONLY=("$@")
wanted() { [ ${#ONLY[@]} -eq 0 ] || printf '%s\n' "${ONLY[@]}" | grep -qx "$1"; }

export DOCKER_HOST="unix://${SLIPWAY_DOCKER_SOCKET:-/run/slipway/docker.sock}"
export DOCKER_BUILDKIT=0 DOCKER_CLI_HINTS=false
IMAGES="$SLIPWAY_ROOT/images"
SUITE=trixie
BASE_TAG="slipway/base:$SUITE"
MIRROR="${SLIPWAY_DEBIAN_MIRROR:-}"
if [ -z "$MIRROR" ]; then
  MIRROR=$(grep -hvE '^\s*#' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
    | grep -oE 'https?://[^ ]+/debian/?$|https?://[^ ]+/debian/? ' | grep -v security | head -n 1 | tr -d ' ' || true)
  MIRROR="${MIRROR:-http://deb.debian.org/debian}"
fi

docker version >/dev/null 2>&1 || die "no Docker engine answers at $DOCKER_HOST (run scripts/ensure-engine.sh)"

build_base() {
  local key
  key=$(printf '%s\n' "$SUITE" minbase "$MIRROR" | cat - "$IMAGES/base/packages.txt" "$IMAGES/base/slim.sh" | sha256sum | cut -c1-16)
  # The key is a tag, not a label: labels would be inherited by every image learners build.
  if docker image inspect "$BASE_TAG-$key" >/dev/null 2>&1; then
    docker tag "$BASE_TAG-$key" "$BASE_TAG"
    info "$BASE_TAG is up to date ($key)"
    return
  fi
  step "Building $BASE_TAG with debootstrap from $MIRROR (about a minute)"
  local dir; dir=$(mktemp -d /var/tmp/slipway-rootfs.XXXXXX)
  trap 'rm -rf "$dir"' RETURN
  local t0; t0=$(date +%s)
  if ! debootstrap --variant=minbase --include="$(paste -sd, "$IMAGES/base/packages.txt")" \
      "$SUITE" "$dir" "$MIRROR" >"$dir.log" 2>&1; then
    tail -n 30 "$dir.log" >&2; die "debootstrap failed (log: $dir.log)"
  fi
  info "debootstrap took $(( $(date +%s) - t0 ))s"
  rm -f "$dir.log"
  chroot "$dir" /bin/sh -s <"$IMAGES/base/slim.sh"
  tar --numeric-owner -C "$dir" -c . | docker import \
    --change 'ENV LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - "$BASE_TAG" >/dev/null
  docker tag "$BASE_TAG" "$BASE_TAG-$key"
  info "imported $BASE_TAG ($(docker image inspect -f '{{.Size}}' "$BASE_TAG" | numfmt --to=iec))"
}

# build NAME DIR: a Dockerfile build with the layer cache; prints only on change or failure.
build() {
  local name="$1" dir="$2" log
  log=$(mktemp)
  local t0; t0=$(date +%s)
  if ! docker build --build-arg "BASE_IMAGE=$BASE" -t "$name" "$dir" >"$log" 2>&1; then
    tail -n 40 "$log" >&2; rm -f "$log"; die "building $name failed"
  fi
  if grep -q -- '---> Running in' "$log"; then
    info "built $name in $(( $(date +%s) - t0 ))s"
  else
    info "$name is up to date"
  fi
  rm -f "$log"
}

if [ -n "${SLIPWAY_BASE_IMAGE:-}" ]; then
  BASE="$SLIPWAY_BASE_IMAGE"
  docker image inspect "$BASE" >/dev/null 2>&1 || docker pull "$BASE"
else
  build_base
  BASE="$BASE_TAG"
fi

if wanted sandbox; then
  step "Building the sandbox image"
  build slipway/sandbox:latest "$IMAGES/sandbox"
fi

if wanted registry; then
  step "Building the classroom mirror image"
  build slipway/registry:latest "$IMAGES/registry"
fi
# The volume label makes it ours; docker run would create it unlabelled.
docker volume inspect slipway-registry-data >/dev/null 2>&1 \
  || docker volume create --label slipway.app=slipway --label slipway.kind=registry slipway-registry-data >/dev/null
# The mirror sandboxes pull from: read-only (nginx in front of a read-only registry).
bash "$SLIPWAY_ROOT/scripts/ensure-registry.sh"
MIRROR_READ="127.0.0.1:${SLIPWAY_REGISTRY_PORT:-5055}"
# The build writes through a writer of its own, alive only while it pushes: the same image
# running a writable registry on the same volume, published on the host's loopback only and
# never connected to a sandbox network.
WRITER=slipway-registry-writer
MIRROR_PUSH="127.0.0.1:${SLIPWAY_REGISTRY_WRITE_PORT:-5056}"
# What was pushed: <repository:tag> TAB <manifest digest>, one line per learner-facing tag.
DIGESTS="${SLIPWAY_MIRROR_DIGESTS:-/var/lib/slipway/mirror-digests.tsv}"
MANIFEST_TYPES='application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json'

PUSHED=""
stop_writer() {
  docker rm -f "$WRITER" >/dev/null 2>&1 || true
  [ -z "$PUSHED" ] || rm -f "$PUSHED"
}

start_writer() {
  mkdir -p "$(dirname "$DIGESTS")"
  # One pushing build at a time (a partial build may run beside another): the writer and the
  # digests file are shared. Held until this script exits.
  exec 9>"$DIGESTS.lock"
  flock 9
  stop_writer # a leftover from an interrupted build
  trap stop_writer EXIT
  PUSHED=$(mktemp)
  trap 'exit 130' INT
  trap 'exit 143' TERM
  docker run -d --name "$WRITER" --restart no \
    --label slipway.app=slipway --label slipway.kind=registry-writer \
    --mount type=volume,source=slipway-registry-data,target=/var/lib/docker-registry \
    -p "$MIRROR_PUSH:5000" slipway/registry:latest \
    docker-registry serve /etc/docker/registry/config.yml >/dev/null
  for _ in $(seq 1 50); do
    curl -fs "http://$MIRROR_PUSH/v2/" >/dev/null && return
    sleep 0.2
  done
  docker logs --tail 20 "$WRITER" >&2
  die "the classroom mirror's writer did not answer on $MIRROR_PUSH"
}

# record FILE: merges FILE's lines into $DIGESTS (they replace lines for the same tags), atomically.
record() {
  local tmp
  tmp=$(mktemp "$DIGESTS.XXXXXX")
  touch "$DIGESTS"
  awk -F'\t' 'NR == FNR { pushed[$1] = 1; print; next } !($1 in pushed)' "$1" "$DIGESTS" \
    | sort >"$tmp"
  chmod 644 "$tmp"
  mv -f "$tmp" "$DIGESTS"
}

# push NAME: every learner-facing tag of a course image, as library/<repo>:<tag> in the mirror,
# checks that the read-only mirror serves it at once, and records its digest.
push() {
  local name="$1" tag ref out digest served
  : >"$PUSHED"
  while read -r tag; do
    [ -n "$tag" ] || continue
    case "$tag" in */*) ref="$tag" ;; *) ref="library/$tag" ;; esac
    docker tag "slipway/course-$name:latest" "$MIRROR_PUSH/$ref"
    out=$(docker push "$MIRROR_PUSH/$ref" 2>&1) || { printf '%s\n' "$out" >&2; die "pushing $ref to the classroom mirror failed"; }
    docker rmi "$MIRROR_PUSH/$ref" >/dev/null
    digest=$(printf '%s\n' "$out" | grep -oE 'digest: sha256:[0-9a-f]{64}' | tail -n 1 | cut -d' ' -f2)
    [ -n "$digest" ] || { printf '%s\n' "$out" >&2; die "no digest in the output of pushing $ref"; }
    served=$(curl -fsI -H "Accept: $MANIFEST_TYPES" "http://$MIRROR_READ/v2/${ref%:*}/manifests/${ref##*:}" \
      | tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: *//p' || true)
    [ "$served" = "$digest" ] || die "the classroom mirror serves ${served:-nothing} for $ref, not the $digest just pushed"
    printf '%s\t%s\n' "$ref" "$digest" >>"$PUSHED"
  done < <(grep -v '^#' "$IMAGES/course/$name/tags" 2>/dev/null || echo "$name:latest")
  record "$PUSHED"
}

step "Building course images"
COURSE=()
for dir in "$IMAGES"/course/*/; do
  name=$(basename "$dir")
  wanted "$name" || continue
  if [ "${SLIPWAY_UPSTREAM_IMAGES:-0}" = 1 ] && [ -f "$dir/upstream" ]; then
    upstream=$(head -n 1 "$dir/upstream")
    info "using upstream $upstream for $name"
    docker pull -q "$upstream" >/dev/null || die "could not pull $upstream (SLIPWAY_UPSTREAM_IMAGES=1 needs Docker Hub)"
    docker tag "$upstream" "slipway/course-$name:latest"
  else
    build "slipway/course-$name:latest" "$dir"
  fi
  COURSE+=("$name")
done

if [ ${#COURSE[@]} -gt 0 ]; then
  step "Pushing course images to the classroom mirror (writer on $MIRROR_PUSH)"
  t0=$(date +%s)
  start_writer
  for name in "${COURSE[@]}"; do push "$name"; done
  stop_writer
  info "pushed ${#COURSE[@]} course image(s) in $(( $(date +%s) - t0 ))s; digests in $DIGESTS"
fi

# Old, untagged versions of the images above. This engine is Slipway's own (learners' images
# live inside their sandboxes), so every dangling image on it is ours. Only after a full build:
# a partial one may run beside another build. Recent ones stay: the untagged first stages of
# multi-stage builds (python's wheelhouse) are the next build's cache.
[ ${#ONLY[@]} -eq 0 ] && docker image prune -f --filter until=168h >/dev/null
exit 0
