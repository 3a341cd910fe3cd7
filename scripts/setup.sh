#!/usr/bin/env bash
# Creates .venv and installs ncpi-bot with its dev tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed
# pip's notes about unreachable local index folders are noise on some machines; errors still show
# and still fail the script (pipefail).
quiet() { { "$@" 2>&1; } | { grep -v -e "^WARNING: Location '" || true; }; }
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  quiet .venv/bin/python -m pip install -q --upgrade pip
  # -qq for the editable install only: setuptools' build backend ends an editable install
  # of this flat layout (bot/, jobs/, models/ at the top) with an "Editable installation"
  # notice, shown at -q; -qq still shows errors and still fails on them.
  quiet .venv/bin/python -m pip install -qq -e '.[dev]'
  touch "$stamp"
fi
