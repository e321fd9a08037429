#!/usr/bin/env bash
# Makes the mutual-TLS credentials of a Slipway cluster in DIR, unless they are there:
#   ca.pem (+ ca-key.pem, which stays on the first host), agent.pem/agent-key.pem (every node's
#   agent; the certificate names `slipway-agent`), runner.pem/runner-key.pem (the runner).
# A node agent answers only a client certificate of this CA. Safe to run again.
#   cluster-credentials.sh DIR
source "$(dirname "$0")/lib.sh"
DIR="${1:?usage: cluster-credentials.sh DIR}"
mkdir -p "$DIR"
chmod 700 "$DIR"
cd "$DIR"
if [ -f ca.pem ] && [ -f agent.pem ] && [ -f runner.pem ]; then
  info "cluster credentials are in $DIR"
  exit 0
fi
command -v openssl >/dev/null || die "openssl is missing (apt-get install openssl)"
step "Making the cluster's TLS credentials in $DIR"
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
  -subj "/CN=Slipway cluster CA" -keyout ca-key.pem -out ca.pem 2>/dev/null
for who in agent runner; do
  cn="slipway-$who"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$cn" \
    -keyout "$who-key.pem" -out "$who.csr" 2>/dev/null
  usage=$([ "$who" = agent ] && echo serverAuth || echo clientAuth)
  printf 'subjectAltName=DNS:%s\nextendedKeyUsage=%s\n' "$cn" "$usage" >"$who.ext"
  openssl x509 -req -in "$who.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 \
    -extfile "$who.ext" -out "$who.pem" 2>/dev/null
  rm -f "$who.csr" "$who.ext"
done
rm -f ca.srl
chmod 644 ca.pem agent.pem runner.pem
info "made ca.pem, agent.pem and runner.pem (keys beside them, readable by root only)"
