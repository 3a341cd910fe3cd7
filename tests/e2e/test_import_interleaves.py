"""A large import on SQLite does not lock Slack out: it writes its actions in batches, so an
owner's `/ncpi update` sent while the import is writing is saved (after a batch, not after
the whole import), and both the update and every imported action are stored. The real
`ncpi-bot import` and the real `serve`, as separate processes on one SQLite file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import service
from models.tables import Action, Update
from tests.e2e_server import ROOT, server_env, start_server
from tests.slack_standin import SlackStandIn

pytestmark = pytest.mark.e2e

ROWS = 8000  # several seconds of writing: longer than the server waits for a lock
OWNER = "U0DIMISS01"  # owns R2.2 in the sample


def write_csv(path: Path) -> None:
    lines = ["Recommendation,Action,Owner,Due date,Status"]
    lines += [f"R{1 + i % 10},Bulk action {i},{OWNER},31/03/2027,on track" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def writing(db_file: Path) -> bool:
    """Whether someone holds SQLite's write lock right now (asked without waiting)."""
    conn = sqlite3.connect(db_file, timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.rollback()
        return False
    except sqlite3.OperationalError as e:
        if "locked" in str(e) or "busy" in str(e):
            return True
        raise
    finally:
        conn.close()


def test_an_update_sent_during_a_large_import_is_saved_and_so_is_the_import(
    tmp_path: Path, slack_standin_server: SlackStandIn, slack_standin: SlackStandIn
) -> None:
    db_file = tmp_path / "ncpi.db"
    url = f"sqlite:///{db_file}"
    # the server waits 3 s for the database (NCPI_DB_TIMEOUT), as a Slack request must
    server = start_server(
        url, slack_standin_server, tmp_path / "serve.log", extra_env={"NCPI_DB_TIMEOUT": "3"}
    )
    try:
        with server.db.read() as session:
            before = session.execute(select(func.count()).select_from(Action)).scalar_one()
        csv = tmp_path / "actions.csv"
        write_csv(csv)
        env = server_env(url, slack_standin_server)
        importing = subprocess.Popen(
            [sys.executable, "-m", "bot", "--env-file", os.devnull, "import", str(csv)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            # wait (on the process, not the clock) until the import is writing
            while not writing(db_file):
                try:
                    importing.wait(timeout=0.05)
                except subprocess.TimeoutExpired:
                    continue
                pytest.fail(f"the import ended before it was seen writing:\n{importing.stdout}")
            sent = server.command("update R2.2 at risk waiting on the hub", user=OWNER)
            assert sent.status == 200
            said = slack_standin.wait_for_response("cmd", timeout=60).args["text"]
            out, _ = importing.communicate(timeout=600)
        finally:
            if importing.poll() is None:
                importing.kill()
                importing.wait()
        assert "not answering" not in said and "R2.2" in said and "at risk" in said, said
        assert importing.returncode == 0, out
        with server.db.read() as session:
            after = session.execute(select(func.count()).select_from(Action)).scalar_one()
            r22 = service.get_action(session, ref="R2.2")
            notes = session.exec(
                select(Update.note, Update.source).where(Update.action_id == r22.id)
            ).all()
        assert after == before + ROWS
        assert r22.status == "at_risk"
        assert ("waiting on the hub", "command") in [tuple(n) for n in notes]
    finally:
        server.stop()
