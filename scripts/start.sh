#!/usr/bin/env bash
# `npm start`: one command from a fresh clone to a running engine (API + worker).
# Installs dependencies if needed, makes sure PostgreSQL and Redis are up (environment, local
# install, or docker compose), creates the database, builds, migrates, then runs both processes
# and stops both when either exits or on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f .env ] && set -a && . ./.env && set +a
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/talent}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export JWT_SECRET="${JWT_SECRET:-change-me-this-is-only-for-local-development}"
export WEBHOOK_SECRET="${WEBHOOK_SECRET:-change-me-webhook-secret}"

[ -d node_modules/@nestjs/core ] || npm ci --no-audit --no-fund
bash scripts/services.sh

db="$(node -e "console.log(new URL(process.argv[1]).pathname.slice(1))" "$DATABASE_URL")"
admin="$(node -e "const u=new URL(process.argv[1]);u.pathname='/postgres';console.log(u.toString())" "$DATABASE_URL")"
psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 || psql "$admin" -c "CREATE DATABASE \"$db\""

npm run build --silent
npm run migrate --silent
npm run frameworks:load --silent || true

node apps/api/dist/main.js &
api=$!
node apps/worker/dist/main.js &
worker=$!
trap 'kill -TERM $api $worker 2>/dev/null || true' INT TERM
wait -n $api $worker || true
kill -TERM $api $worker 2>/dev/null || true
wait
