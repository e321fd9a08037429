#!/usr/bin/env bash
# Sandboxes may not open connections to the host itself (its services, the runner if it listens
# beyond loopback). Replies to connections the host opens (the preview proxy) still pass.
# Idempotent; only touches the rule it adds.
source "$(dirname "$0")/lib.sh"
POOL="${SLIPWAY_ENGINE_POOL:-10.201.0.0/16}"
rule=(INPUT -s "$POOL" -m conntrack --ctstate NEW -m comment --comment slipway-sandboxes-to-host -j DROP)
if iptables -C "${rule[@]}" 2>/dev/null; then
  info "sandboxes cannot connect to the host (iptables rule present)"
else
  need_root "Adding the sandbox-to-host firewall rule"
  iptables -I "${rule[@]}"
  info "added: sandboxes ($POOL) cannot open connections to the host"
fi
