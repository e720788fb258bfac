#!/usr/bin/env bash
# Runs before `npm test`: on a fresh clone it installs the locked dependencies, and it makes sure
# PostgreSQL and Redis answer (starting local ones if needed), so `npm test` is the one command a
# newcomer needs. On a prepared machine (CI runs `npm ci` first) both steps are quick no-ops.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/jest ] && [ -x node_modules/.bin/eslint ] || npm ci --no-audit --no-fund
bash scripts/services.sh
