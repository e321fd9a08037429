#!/usr/bin/env bash
# Installs the Debian packages Slipway needs on its host, only those missing.
#   ensure-packages.sh            runtime: docker engine, debootstrap
#   ensure-packages.sh --test     plus what the tests need (Chromium, jq, nc)
source "$(dirname "$0")/lib.sh"

# xfsprogs: the engine's store is XFS with reflink (scripts/ensure-engine.sh)
want=(docker.io iptables debootstrap uidmap iproute2 curl ca-certificates xfsprogs)
# openssl: a cluster's TLS credentials (scripts/cluster-credentials.sh)
want+=(openssl)
# chromium for the browser tests; jq and nc (netcat-openbsd) because unit tests run
# checklib.sh with the host's bash
[ "${1:-}" = "--test" ] && want+=(chromium jq netcat-openbsd)

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  info "Debian packages present"
  exit 0
fi
need_root "Installing ${missing[*]}"
step "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
timed "apt-get update" apt-get update -qq
timed "apt-get install" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
