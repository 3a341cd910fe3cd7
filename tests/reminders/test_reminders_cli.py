"""`ncpi-bot reminders run --dry-run` and `reminders list`, through click."""

from __future__ import annotations

import os
from datetime import date

from click.testing import CliRunner

from bot.cli import cli
from tests.reminder_fixtures import A, M, Tracker, build, local


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
    assert "owner U1: escalated" in dry.output  # a terminal names people by id, no chat markup
    assert "<@" not in dry.output
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


def _dry(db, slack, at: str) -> str:
    result = _invoke(db, slack, "run", "--at", at, "--dry-run")
    assert result.exit_code == 0, result.output
    return result.output


def test_a_bare_date_means_that_day_at_the_reminder_hour(db, slack_standin) -> None:
    with db.write() as session:
        build(session, Tracker([A("U1", date(2026, 12, 7))], members=[M("U1")]))
    out = _dry(db, slack_standin, "2026-12-07")
    assert "reminders owed at Mon 7 Dec 2026 09:00 GMT: 1" in out, out
    assert "due|U1|2026-12-07" in out
    # a time given stays exact, however early
    early = _dry(db, slack_standin, "2026-12-07T08:30")
    assert "reminders owed at Mon 7 Dec 2026 08:30 GMT: 0" in early, early
    # the hour is NCPI_REMINDER_HOUR's
    env = {"DATABASE_URL": db.url, "NCPI_CLOCK": "", "NCPI_REMINDER_HOUR": "11"}
    env.update(slack_standin.env())
    later = CliRunner().invoke(
        cli,
        ["--env-file", os.devnull, "reminders", "run", "--at", "2026-12-07", "--dry-run"],
        env=env,
    )
    assert "reminders owed at Mon 7 Dec 2026 11:00 GMT: 1" in later.output, later.output


def test_a_dry_run_that_finds_nothing_owed_says_why(db, slack_standin) -> None:
    with db.write() as session:
        build(
            session,
            Tracker(
                [A("U1", date(2026, 12, 7)), A("U2", date(2026, 12, 8))],
                members=[
                    M("U1", away_until=date(2026, 12, 10)),
                    M("U2", snoozed_until=date(2026, 12, 8)),
                ],
            ),
        )
    before = _dry(db, slack_standin, "2026-12-07T08:30")
    assert (
        "nothing owed: it is before the reminder hour (09:00, NCPI_REMINDER_HOUR); "
        "reminders go out from Mon 7 Dec 2026 09:00" in before
    ), before
    weekend = _dry(db, slack_standin, "2026-12-05T10:00")
    assert (
        "nothing owed: Sat 5 Dec 2026 is a weekend; reminders go out on working days, "
        "next Mon 7 Dec 2026 09:00" in weekend
    ), weekend
    # Boxing Day falls on a Saturday in 2026: Monday 28 is its substitute
    holiday = _dry(db, slack_standin, "2026-12-28")
    assert (
        "nothing owed: Mon 28 Dec 2026 is a bank holiday, Boxing Day (observed); reminders go "
        "out on working days, next Tue 29 Dec 2026 09:00" in holiday
    ), holiday
    away = _dry(db, slack_standin, "2026-12-07")
    assert "reminders owed at Mon 7 Dec 2026 09:00 GMT: 0" in away, away
    assert (
        "nothing owed: every owner of an open action is away or has paused reminders "
        "(U1 away until Thu 10 Dec 2026; U2 snoozed until Tue 8 Dec 2026)" in away
    ), away


def test_nothing_open_or_nothing_due_is_said_too(db, slack_standin) -> None:
    empty = _dry(db, slack_standin, "2026-12-07")
    assert "nothing owed: there are no open actions to chase" in empty, empty
    with db.write() as session:
        build(
            session,
            Tracker(
                [A("U1", date(2027, 3, 31))], members=[M("U1")], panels=[local(2027, 1, 15, 10)]
            ),
        )
    quiet = _dry(db, slack_standin, "2026-12-07")
    assert (
        "nothing owed: no open action is due in 3 working days, due today or at an overdue "
        "chase (every 2 working days), and no panel countdown falls today "
        "(next panel Fri 15 Jan 2027: owners are chased on Thu 31 Dec 2026, Fri 8 Jan 2027, "
        "Wed 13 Jan 2027)" in quiet
    ), quiet
