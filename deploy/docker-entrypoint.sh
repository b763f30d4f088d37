#!/bin/sh
# The image's roles: `web` runs the Next.js server, `init-db` prepares PostgreSQL, anything else is a
# `flatrender` command (serve <service>, node, start, migrate, seed...). exec keeps the role the child
# of tini, so SIGTERM reaches it and it drains before the container stops.
set -eu
case "${1:-start}" in
  web)
    shift
    # The web server reaches the gateway at GATEWAY_URL; GATEWAY_PUBLIC_URL is how browsers reach it.
    export GATEWAY_PUBLIC_URL="${GATEWAY_PUBLIC_URL:-${PUBLIC_URL:-http://localhost:8080}}"
    exec node /app/node_modules/next/dist/bin/next start /app/apps/web \
      --port "${WEB_PORT:-3000}" --hostname "${HOST:-0.0.0.0}" "$@"
    ;;
  init-db)
    shift
    exec /app/deploy/init-db "$@"
    ;;
  *)
    exec node /app/bin/flatrender "$@"
    ;;
esac
