"""One unit for lateness: an overdue action reads "overdue by N working days" — the count the
reminders, the escalation and the due rules use — in the summary, `show`, `mine`, App Home,
the reminder DM and the digest, and never as calendar days anywhere."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner

from bot.cli import cli
from models.clock import Clock
from models.tables import Role
from tests.conftest import TZ
from tests.reminder_fixtures import A, M, Tracker, build
from tests.slack_helpers import make_shell

LEAD = "U0SAFELEAD"
OWNER = "U0OWNER001"
# Due Friday 13 November 2026; today is Wednesday 25 November: 12 calendar days later, across
# two weekends, which is 8 working days (Mon 16 – Fri 20, Mon 23 – Wed 25).
DUE = date(2026, 11, 13)
WED = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
SAID = "overdue by 8 working days"


def _cli(db, slack, *args: str, clock: str = ""):
    env = {"DATABASE_URL": db.url, "NCPI_CLOCK": clock, **slack.env()}
    result = CliRunner().invoke(cli, ["--env-file", os.devnull, *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _shell(db, now: datetime, user: str, *lines: str) -> list[str]:
    shell, fake = make_shell(db, Clock(TZ, now), user=user)
    try:
        return [shell.run(line) for line in lines]
    finally:
        fake.stop()


def _no_calendar_days(text: str) -> None:
    assert "12 day" not in text and "days overdue" not in text and "day overdue" not in text


def test_twelve_calendar_days_late_reads_as_8_working_days_in_every_view_and_reminder(
    db, slack_standin
) -> None:
    with db.write() as session:
        build(
            session,
            Tracker([A(OWNER, DUE)], members=[M(OWNER), M(LEAD, role=Role.LEAD)]),
        )

    summary, show = _shell(db, WED, LEAD, "/ncpi summary", "/ncpi show R1.1")
    assert f"R1.1 {SAID} (@{OWNER})" in summary, summary
    assert f"Due: Fri 13 Nov 2026 ({SAID})" in show, show
    mine, home = _shell(db, WED, OWNER, "/ncpi mine", "home")
    assert f"R1.1 Action 1 — due 13 Nov, {SAID}" in mine, mine
    assert f"R1.1 Action 1 — due 13 Nov, {SAID}" in home, home
    printed = _cli(db, slack_standin, "summary", clock="2026-11-25T10:00:00Z")
    assert f"R1.1 {SAID} ({OWNER})" in printed, printed
    for text in (summary, show, mine, home, printed):
        _no_calendar_days(text)

    # The 09:00 sweep that day: the owner's chase (8 is an even number of working days) and
    # the lead's digest for the week, by DM as no digest channel is set.
    sent = _cli(db, slack_standin, "reminders", "run", "--at", "2026-11-25T09:00")
    assert "sent" in sent
    posted = [c.args for c in slack_standin.calls if c.method == "chat.postMessage"]
    dm = next(m for m in posted if m["channel"] == slack_standin.dm_channel(OWNER))
    dm_text = dm["text"] + json.dumps(dm["blocks"])
    assert dm["text"] == f"R1.1 Action 1 is {SAID} (due Fri 13 Nov). Please update it."
    assert f"due 13 Nov, *{SAID}*" in dm_text, dm_text
    digest = next(m for m in posted if m["channel"] == slack_standin.dm_channel(LEAD))
    assert SAID in json.dumps(digest["blocks"])
    for m in (dm, digest):
        _no_calendar_days(m["text"] + json.dumps(m["blocks"]))


@pytest.mark.parametrize(
    ("now", "said"),
    [
        # due Friday 27 November: on Saturday and Sunday it is already late, by one working
        # day (never "overdue by 0"); on Monday it is still one; on Tuesday two.
        (datetime(2026, 11, 28, 10, 0, tzinfo=UTC), "overdue by 1 working day)"),
        (datetime(2026, 11, 29, 10, 0, tzinfo=UTC), "overdue by 1 working day)"),
        (datetime(2026, 11, 30, 10, 0, tzinfo=UTC), "overdue by 1 working day)"),
        (datetime(2026, 12, 1, 10, 0, tzinfo=UTC), "overdue by 2 working days)"),
    ],
    ids=["saturday", "sunday", "monday", "tuesday"],
)
def test_an_action_due_on_friday_is_overdue_by_working_days_over_the_weekend(db, now, said) -> None:
    with db.write() as session:
        build(session, Tracker([A(OWNER, date(2026, 11, 27))], members=[M(OWNER)]))
    (show,) = _shell(db, now, OWNER, "/ncpi show R1.1")
    assert f"Due: Fri 27 Nov 2026 ({said}" in show, show


def test_bank_holidays_are_not_working_days_when_counting_lateness(db) -> None:
    # Due Thursday 24 December 2026; Christmas Day, the weekend and Boxing Day (observed,
    # Monday 28) are not working days, so on Tuesday 29 December it is one working day late.
    with db.write() as session:
        build(session, Tracker([A(OWNER, date(2026, 12, 24))], members=[M(OWNER)]))
    (show,) = _shell(db, datetime(2026, 12, 29, 10, 0, tzinfo=UTC), OWNER, "/ncpi show R1.1")
    assert "Due: Thu 24 Dec 2026 (overdue by 1 working day)" in show, show
