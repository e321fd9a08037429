#!/usr/bin/env bash
# Makes sure npm exists and the project's dependencies (including a project-local Node 24,
# the `node` devDependency) are installed and current. Re-runs npm install only when
# package.json or package-lock.json changed since the last install.
source "$(dirname "$0")/lib.sh"
cd "$SLIPWAY_ROOT"

if ! command -v npm >/dev/null; then
  need_root "Installing Node.js and npm"
  step "Installing Node.js and npm from Debian (the project then brings its own Node 24)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

stamp=node_modules/.slipway-install-stamp
if [ -x node_modules/.bin/node ] && [ -f "$stamp" ] && [ "$stamp" -nt package.json ] && [ "$stamp" -nt package-lock.json ]; then
  info "npm dependencies are up to date (Node $(node_modules/.bin/node --version))"
  exit 0
fi
step "Installing npm dependencies (about a minute the first time)"
# `npm ci` fails here: the lockfile lacks other platforms' optional builds. `npm install`
# still respects the lockfile.
timed "npm install" npm install --no-audit --no-fund --loglevel=error
node_modules/.bin/node -e 'const [maj] = process.versions.node.split("."); if (+maj < 22) { console.error(`Node ${process.version} is too old`); process.exit(1); }' \
  || die "node_modules/.bin/node is not Node >= 22"
touch "$stamp"
info "using Node $(node_modules/.bin/node --version) from node_modules/.bin"
