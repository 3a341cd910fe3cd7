#!/usr/bin/env bash
# Sets up and runs the whole suite (lint, then tests on SQLite and PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# Four workers: most tests wait on a server, a subprocess or a database, not the CPU.
exec .venv/bin/python -m pytest -n 4 "$@"
