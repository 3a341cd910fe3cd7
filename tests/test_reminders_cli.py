"""`ncpi-bot reminders run --dry-run` and `reminders list`, through click."""

from __future__ import annotations

import os
from datetime import date

from click.testing import CliRunner

from bot.cli import cli
from tests.reminder_fixtures import A, M, Tracker, build


def _invoke(db, slack, *args: str):
    env = {"DATABASE_URL": db.url, "NCPI_CLOCK": "", **slack.env()}
    return CliRunner().invoke(cli, ["--env-file", os.devnull, "reminders", *args], env=env)


def test_dry_run_says_who_would_get_what_and_why_then_list_shows_what_went(
    db, slack_standin
) -> None:
    with db.write() as session:
        build(
            session,
            Tracker([A("U1", date(2026, 11, 16))], members=[M("U1", manager="U0BOSS")]),
        )
    dry = _invoke(db, slack_standin, "run", "--at", "2026-11-26T09:00", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "reminders owed at Thu 26 Nov 2026 09:00 GMT: 2" in dry.output
    assert "would-send" in dry.output and "due|U1|2026-11-26" in dry.output
    assert "escalated to their manager" in dry.output
    assert slack_standin.calls == []
    assert "no reminders yet" in _invoke(db, slack_standin, "list").output

    sent = _invoke(db, slack_standin, "run", "--at", "2026-11-26T09:00")
    assert sent.exit_code == 0, sent.output
    assert "2 owed: 2 sent" in sent.output
    listed = _invoke(db, slack_standin, "list", "--day", "2026-11-26").output
    rows = listed.splitlines()[1:]
    assert len(rows) == 2 and all(" sent " in r for r in rows) and "U0BOSS" in listed

    again = _invoke(db, slack_standin, "run", "--at", "2026-11-26T09:00", "--dry-run")
    assert again.output.count("already sent") == 2


def test_a_bad_at_is_one_clear_line(db, slack_standin) -> None:
    result = _invoke(db, slack_standin, "run", "--at", "next tuesday", "--dry-run")
    assert result.exit_code == 1 and "--at must be an ISO-8601 time" in result.output
