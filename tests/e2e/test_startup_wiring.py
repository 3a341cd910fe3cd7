"""Every entry point opens the tracker through one start-up path (bot.wiring)."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import make_url
from sqlmodel import select

from bot.wiring import open_database
from models.db import Database
from models.service import is_lead
from models.settings import load_settings
from models.tables import Update
from models.transfer import import_file
from tests import ROOT
from tests.conftest import TZ
from tests.slack_helpers import LEAD, counts, make_shell


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


# -- NCPI_LEADS is the source of truth for the leads it names ---------------------------------

SET_LEAD_1, SET_LEAD_2 = "U0SETLEAD1", "U0SETLEAD2"
SHEET_LEAD = "U0SHEETLD1"  # a lead by the People sheet only
BOTH_LEAD = "U0BOTHLD01"  # a lead by the People sheet, and named in NCPI_LEADS too


def _restart(db_url: str, leads: str) -> Database:
    """What `serve`, `socket`, the shell and the CLI do first: open the tracker."""
    return open_database(load_settings({"DATABASE_URL": db_url, "NCPI_LEADS": leads}))


def _as(db: Database, clock, user: str, line: str) -> str:
    shell, fake = make_shell(db, clock, user=user)
    try:
        return shell.run(line)
    finally:
        fake.stop()


def _people_sheet(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "People"
    ws.append(["Slack user id", "Display name", "Role"])
    ws.append([SHEET_LEAD, "Head of Public Protection", "Lead"])
    ws.append([BOTH_LEAD, "Detective Superintendent", "Lead"])
    wb.save(path)
    return path


def _role_rows(db: Database) -> list[tuple[str, str | None, str | None]]:
    with db.read() as s:
        rows = s.exec(select(Update).where(Update.field == "member_role").order_by(Update.id)).all()
        return [(u.source, u.before, u.after) for u in rows]


def test_a_lead_taken_out_of_ncpi_leads_is_refused_after_a_restart(sample, db_url, clock, tmp_path):
    import_file(
        sample, _people_sheet(tmp_path / "people.xlsx"), now=clock.now(), today=clock.today(), tz=TZ
    )
    before_start = _role_rows(sample)

    db = _restart(db_url, f"{SET_LEAD_1},{SET_LEAD_2},{BOTH_LEAD}")
    try:
        assert "R2.1 — due Wed 31 Mar 2027" in _as(db, clock, SET_LEAD_1, "due R2.1 31/03/2027")
        assert "R2.2 — due Wed 31 Mar 2027" in _as(db, clock, SET_LEAD_2, "due R2.2 31/03/2027")
        # each lead the setting made is in the history
        added = _role_rows(db)[len(before_start) :]
        assert added == [
            ("cli", f"{SET_LEAD_1}: member", f"{SET_LEAD_1}: lead"),
            ("cli", f"{SET_LEAD_2}: member", f"{SET_LEAD_2}: lead"),
        ]
    finally:
        db.dispose()

    db = _restart(db_url, f"{SET_LEAD_1}")
    try:
        updates, actions = counts(db)
        refused = _as(db, clock, SET_LEAD_2, "signoff R2 agreed at panel")
        assert "Only a lead can sign off" in refused
        assert counts(db) == (updates, actions)  # the refusal stores nothing
        with db.read() as s:
            assert not is_lead(s, SET_LEAD_2)
            assert all(is_lead(s, u) for u in (SET_LEAD_1, SHEET_LEAD, BOTH_LEAD, LEAD))
        assert _role_rows(db)[-1] == ("cli", f"{SET_LEAD_2}: lead", f"{SET_LEAD_2}: member")
        # the People sheet's leads act as before, whether or not the setting named them
        assert "signed off" in _as(db, clock, SHEET_LEAD, "signoff R2 agreed at panel")
        assert "outstanding again" in _as(db, clock, BOTH_LEAD, "reopen R1")
        assert "R2.1 — due" in _as(db, clock, SET_LEAD_1, "due R2.1 30/04/2027")
    finally:
        db.dispose()

    # a restart with the same setting changes nothing and writes no history
    rows = _role_rows(sample)
    _restart(db_url, f"{SET_LEAD_1}").dispose()
    assert _role_rows(sample) == rows


def test_an_empty_ncpi_leads_revokes_every_lead_it_made(db_url):
    _restart(db_url, "U0SETLEAD1,U0SETLEAD2").dispose()  # a fresh tracker: no inspection yet
    db = _restart(db_url, "")
    try:
        with db.read() as s:
            assert not is_lead(s, "U0SETLEAD1") and not is_lead(s, "U0SETLEAD2")
    finally:
        db.dispose()


def test_a_setting_lead_the_people_sheet_then_names_stays_a_lead(sample, db_url, clock, tmp_path):
    _restart(db_url, "U0SHEETLD1").dispose()  # first a lead by the setting alone
    import_file(
        sample, _people_sheet(tmp_path / "people.xlsx"), now=clock.now(), today=clock.today(), tz=TZ
    )
    db = _restart(db_url, "")
    try:
        assert "signed off" in _as(db, clock, SHEET_LEAD, "signoff R2 agreed at panel")
    finally:
        db.dispose()


def test_serve_and_socket_say_at_start_up_which_database_they_opened(db_url, caplog):
    # serve and socket open the tracker with announce=True (bot.server.prepare)
    settings = load_settings({"DATABASE_URL": db_url})
    with caplog.at_level(logging.INFO, logger="bot.wiring"):
        db = open_database(settings, announce=True)
    db.dispose()
    url = make_url(db_url)
    named = (
        url.database
        if url.get_backend_name() == "sqlite"
        else f"{url.host}:{url.port}/{url.database}"
    )
    assert f"database: {named}" in caplog.text
