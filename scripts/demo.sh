#!/usr/bin/env bash
# Sets up, loads the sample tracker into SQLite (ncpi.db) and shows it. No Slack needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DATABASE_URL="${DATABASE_URL:-sqlite:///ncpi.db}"
.venv/bin/ncpi-bot load-sample
.venv/bin/ncpi-bot summary
