#!/usr/bin/env bash
# Sets up and opens the local shell on the sample tracker (SQLite, ncpi.db): the same Slack
# app, no Slack needed. In a terminal it is interactive; otherwise it runs a short script.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DATABASE_URL="${DATABASE_URL:-sqlite:///ncpi.db}"
export NCPI_BOARD_NAME="${NCPI_BOARD_NAME:-Child Protection Delivery Board}"  # the sample's board
if [ -t 0 ] && [ -t 1 ]; then
  exec .venv/bin/ncpi-bot shell "$@"
fi
printf 'help\nsummary\n' | .venv/bin/ncpi-bot shell "$@"
