"""Every entry point opens the tracker through one start-up path (bot.wiring)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bot.wiring import open_database
from models.service import is_lead
from models.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_a_lead_added_to_ncpi_leads_can_act_after_a_restart_of_serve_or_socket(db_url):
    # serve and socket open the database through the same path as the CLI, so the setting
    # takes effect on restart without any other command being run first.
    settings = load_settings({"DATABASE_URL": db_url, "NCPI_LEADS": "U0NEWLEAD1"})
    db = open_database(settings)
    try:
        with db.read() as session:
            assert is_lead(session, "U0NEWLEAD1")
    finally:
        db.dispose()


def test_the_sweep_lock_file_beside_the_database_is_not_committed():
    found = subprocess.run(
        ["git", "check-ignore", "-q", "ncpi.db.sweep-lock"], cwd=ROOT, check=False
    )
    assert found.returncode == 0
