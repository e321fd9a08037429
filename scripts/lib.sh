# Shared helpers for the setup scripts. Sourced, never run.
set -euo pipefail

SLIPWAY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SLIPWAY_ROOT

step() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

need_root() {
  [ "$(id -u)" -eq 0 ] || die "$1 needs root (run as root or with sudo)."
}

# Time a step and print how long it took, so long steps show progress.
timed() {
  local label="$1"; shift
  local t0; t0=$(date +%s)
  "$@"
  info "$label took $(( $(date +%s) - t0 ))s"
}
