# Login shells in a Slipway sandbox.
export TERM="${TERM:-xterm-256color}"
export DOCKER_CLI_HINTS=false
