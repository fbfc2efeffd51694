#!/bin/sh
# The container's entry point (Dockerfile from `lifeboat schedule export --kubernetes`): checks what a scheduled run
# needs, then runs the Lifeboat CLI with the container's arguments, e.g. `schedule run --profile clinic --job backup
# --runner kubernetes`. The same script runs outside a container with the same environment (the tests do).
set -eu
: "${LIFEBOAT_HOME:=/opt/lifeboat}"
: "${LIFEBOAT_JOURNAL_DIR:=/var/lib/lifeboat/journal}"
export LIFEBOAT_JOURNAL_DIR
if [ -z "${LIFEBOAT_CONFIG:-}" ] || [ ! -r "$LIFEBOAT_CONFIG" ]; then
  echo "lifeboat-entrypoint: LIFEBOAT_CONFIG must name a readable config file (the lifeboat-config ConfigMap, mounted); it is '${LIFEBOAT_CONFIG:-unset}'" >&2
  exit 3
fi
command -v node >/dev/null 2>&1 || { echo "lifeboat-entrypoint: node is not installed in this image" >&2; exit 5; }
command -v zstd >/dev/null 2>&1 || echo "lifeboat-entrypoint: zstd not found; pg_dump's own (slower) compression will be used" >&2
mkdir -p "$LIFEBOAT_JOURNAL_DIR"
exec node "$LIFEBOAT_HOME/bin/lifeboat.js" "$@"
