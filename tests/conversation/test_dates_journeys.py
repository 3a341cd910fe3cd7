"""Dates people type or import, as their journeys: far-off dates refused at every door, a
reason after a new due date kept and passed on, a date in the past confirmed before it is
set. Through the real Bolt app (the shell adapter) and the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from bot.cli import cli
from models import service
from models.clock import Clock
from models.paper import build_paper, render_markdown
from models.tables import Update
from tests.conftest import TZ
from tests.e2e_server import cli_env
from tests.slack_helpers import LEAD, counts, make_shell

MARAC_OWNER = "U0MARACLD1"  # owns R6.1 in the sample
FAR = ["31/12/9999", "9999-12-31", "1 January 0001", "0001-01-01", "1/1/0001", "31/12/1899"]
WINDOW = "outside the dates the tracker takes (2000 to 2100)"


def _action(db, ref: str) -> service.ActionView:
    with db.read() as session:
        return service.show_action(session, ref=ref, today=date(2026, 11, 25))


def _history(db, ref: str) -> list[Update]:
    with db.read() as session:
        return service.history(session, ref=ref)


def _dms(fake, user: str) -> list[str]:
    return [
        a.get("text") or ""
        for m, a in fake.calls
        if m == "chat.postMessage" and a.get("channel") in (user, "D" + user[1:])
    ]


def _uk(d: date) -> str:
    return f"{d:%d/%m/%Y}"


# -- far dates are refused at every entry point (issue 13.1) ----------------------------------


@pytest.mark.parametrize("far", FAR)
def test_a_far_due_date_is_refused_naming_the_window_and_nothing_changes(sample, clock, far):
    shell, fake = make_shell(sample, clock)
    try:
        before, due = counts(sample), _action(sample, "R4.1").due
        out = shell.run(f"due R4.1 {far}")
        assert out.startswith("only you:"), out
        assert WINDOW in out and "Write a date like 31/01/2027" in out, out
        assert counts(sample) == before and _action(sample, "R4.1").due == due
        for line in (
            f"due R4.1 {far} placeholder for no date",
            f"add R2 Train CCR staff owner:<@U0DIMISS01> due:{far}",
            f"panel add {far} 10:00",
        ):
            out = shell.run(line)
            assert WINDOW in out and "Modal" not in out, (line, out)
            assert counts(sample) == before
    finally:
        fake.stop()


def test_a_far_date_picked_in_the_add_form_is_refused_in_the_form(sample, clock):
    shell, fake = make_shell(sample, clock)
    try:
        before = counts(sample)
        assert "Modal «Add an action»" in shell.run("add")
        out = shell.run('submit rec=R2 title="Train CCR staff" owner=U0DIMISS01 due=9999-12-31')
        assert "(form error on due)" in out and WINDOW in out, out
        assert counts(sample) == before
    finally:
        fake.stop()


def test_the_example_date_is_computed_from_today(sample):
    later = Clock(TZ, datetime(2031, 6, 10, 9, 0, tzinfo=UTC))
    shell, fake = make_shell(sample, later)
    try:
        out = shell.run("due R4.1 31/12/9999")
        assert "Write a date like 31/08/2031" in out, out
        out = shell.run("due R4.1 31/02/2032")
        assert "is not a real date" in out and "2031-08-31, 31/08/2031 (day first)" in out, out
        assert "2025" not in out and "2027" not in out, out
    finally:
        fake.stop()


def _run_import(db_url: str, clock: Clock, path) -> object:
    env = cli_env(DATABASE_URL=db_url, NCPI_CLOCK=clock.now().isoformat())
    return CliRunner().invoke(
        cli, ["--env-file", "/nonexistent/.env", "import", str(path)], env=env
    )


def test_an_import_with_a_placeholder_date_is_refused_row_by_row_and_writes_nothing(
    sample, clock, tmp_path, db_url
):
    before = counts(sample)
    csv_file = tmp_path / "tracker.csv"
    csv_file.write_text(
        "Rec No,Action,Action owner,Target date,RAG\n"
        "R2,Good new action,U0DIMISS01,01/02/2027,green\n"
        "R2,No date yet,U0DIMISS01,31/12/9999,green\n"
        "R4,Ancient,U0DIICAIT1,1 January 0001,green\n"
    )
    r = _run_import(db_url, clock, csv_file)
    assert r.exit_code == 1, r.output
    assert "tracker.csv row 3, Target date '31/12/9999': is " + WINDOW in r.output, r.output
    assert "tracker.csv row 4, Target date '1 January 0001': is " + WINDOW in r.output
    assert "leave it empty if there is no date, or write a date like 31/01/2027" in r.output
    assert counts(sample) == before

    wb = Workbook()
    ws = wb.active
    ws.title = "Action Tracker"
    ws.append(["Rec No", "Action", "Action owner", "Target date", "RAG"])
    ws.append(["R2", "Good new action", "U0DIMISS01", datetime(2027, 2, 1), "green"])
    ws.append(["R2", "No date yet", "U0DIMISS01", datetime(9999, 12, 31), "green"])
    wb.save(tmp_path / "tracker.xlsx")
    r = _run_import(db_url, clock, tmp_path / "tracker.xlsx")
    assert r.exit_code == 1, r.output
    assert "Action Tracker row 3, Target date '9999-12-31': is " + WINDOW in r.output, r.output
    assert counts(sample) == before

    wb = Workbook()
    wb.active.title = "Panels"
    wb.active.append(["Meeting date", "Paper no"])
    wb.active.append(["31/12/9999", "AP99/01"])
    wb.save(tmp_path / "panels.xlsx")
    r = _run_import(db_url, clock, tmp_path / "panels.xlsx")
    assert r.exit_code == 1, r.output
    assert "Panels row 2, Meeting date '31/12/9999': is " + WINDOW in r.output, r.output
    assert counts(sample) == before


# -- a reason after the new due date (issue 9.7) -----------------------------------------------


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("{uk} MARAC review delayed by partners", "MARAC review delayed by partners"),
        ("{long} MARAC review delayed by partners", "MARAC review delayed by partners"),
        ("{uk}: 3 partners late", "3 partners late"),
        ("{uk} — a new rota", "a new rota"),
    ],
)
def test_due_takes_a_reason_kept_in_history_told_to_the_owner_and_in_the_paper(
    sample, clock, written, reason
):
    new = _action(sample, "R6.1").due + timedelta(days=60)
    line = "due R6.1 " + written.format(uk=_uk(new), long=f"{new.day} {new:%B %Y}")
    shell, fake = make_shell(sample, clock)
    try:
        out = shell.run(line)
        assert f"R6.1 — due {new:%a %-d %b %Y}" in out, out
        last = _history(sample, "R6.1")[-1]
        assert (last.field, last.after, last.note) == ("due", new.isoformat(), reason)
        told = _dms(fake, MARAC_OWNER)
        assert len(told) == 1 and reason in told[0] and f"{new:%a %-d %b %Y}" in told[0], told
        with sample.read() as session:
            md = render_markdown(build_paper(session, today=clock.today(), now=clock.now()))
        assert f"the reason given: {reason}" in md
        assert "R6.1 moved" in md and "no reason was given" not in md.split("R6.1 moved")[1][:200]
    finally:
        fake.stop()


def test_due_without_a_reason_still_reads_relative_dates(sample, clock):
    shell, fake = make_shell(sample, clock)
    try:
        out = shell.run("due R6.1 next friday")
        assert f"R6.1 — due {clock.today() + timedelta(days=2):%a %-d %b %Y}" in out, out
        assert _history(sample, "R6.1")[-1].note is None
        out = shell.run("due R6.1 in 2 weeks partners asked for time")
        assert f"due {clock.today() + timedelta(days=14):%a %-d %b %Y}" in out, out
        assert _history(sample, "R6.1")[-1].note == "partners asked for time"
        before = counts(sample)
        out = shell.run("due R6.1 soon, partners willing")
        assert "is not a date" in out and counts(sample) == before, out
    finally:
        fake.stop()


# -- a date in the past asks first (issue 9.9) -------------------------------------------------


def test_a_past_due_date_is_held_until_confirmed(sample, clock):
    past = clock.today() - timedelta(days=300)
    shell, fake = make_shell(sample, clock)
    try:
        before, due = counts(sample), _action(sample, "R4.2").due
        out = shell.run(f"due R4.2 {past:%-d/%-m/%y}")
        assert "is in the past" in out and "Nothing has been saved yet" in out, out
        assert "[Keep this date]" in out and "[Change it]" in out, out
        assert counts(sample) == before and _action(sample, "R4.2").due == due
        out = shell.run("click Change it")
        assert "Not saved" in out and "the date you meant" in out, out
        assert counts(sample) == before and _dms(fake, "U0DIICAIT1") == []

        shell.run(f"due R4.2 {past:%-d/%-m/%y} rota slipped")
        out = shell.run("click Keep this date")
        assert f"R4.2 — due {past:%a %-d %b %Y}" in out, out
        assert _action(sample, "R4.2").due == past
        last = _history(sample, "R4.2")[-1]
        assert (last.field, last.after, last.note) == ("due", past.isoformat(), "rota slipped")
        assert len(_dms(fake, "U0DIICAIT1")) == 1
    finally:
        fake.stop()


def test_adding_an_action_due_in_the_past_asks_first(sample, clock):
    past = clock.today().replace(year=clock.today().year - 6, month=1, day=1)
    shell, fake = make_shell(sample, clock)
    try:
        before = counts(sample)
        out = shell.run(f"add R2 Train CCR staff owner:<@U0DIMISS01> due:{_uk(past)}")
        assert "is in the past" in out and "[Keep this date]" in out, out
        assert counts(sample) == before
        out = shell.run("click Keep this date")
        assert "Added R2.3" in out, out
        assert _action(sample, "R2.3").due == past
    finally:
        fake.stop()


def test_the_add_form_with_a_past_date_pushes_a_check_and_keeps_it_when_confirmed(sample, clock):
    past = clock.today() - timedelta(days=10)
    shell, fake = make_shell(sample, clock)
    try:
        before = counts(sample)
        shell.run("add")
        out = shell.run(
            f'submit rec=R2 title="Train CCR staff" owner=U0DIMISS01 due={past.isoformat()}'
        )
        assert "Modal «Check this date»" in out and "is in the past" in out, out
        assert "[Keep this date]" in out and "[Change it]" in out
        assert counts(sample) == before
        shell.run("submit")
        assert _action(sample, "R2.3").due == past
    finally:
        fake.stop()


def test_confirming_a_note_does_not_also_confirm_a_past_date(sample, clock):
    """A reason that looks like personal data and a date in the past: two questions, each
    answered before anything is stored."""
    past = clock.today() - timedelta(days=30)
    shell, fake = make_shell(sample, clock)
    try:
        before = counts(sample)
        out = shell.run(f"due R4.2 {_uk(past)} ring 07700 900123 first")
        assert "phone number" in out and "[Keep as written]" in out, out
        out = shell.run("click Keep as written")
        assert "is in the past" in out and "[Keep this date]" in out, out
        assert counts(sample) == before
        out = shell.run("click Keep this date")
        assert f"R4.2 — due {past:%a %-d %b %Y}" in out, out
        assert _history(sample, "R4.2")[-1].note == "ring 07700 900123 first"
    finally:
        fake.stop()


def test_today_and_later_need_no_confirmation(sample, clock):
    shell, fake = make_shell(sample, clock, user=LEAD)
    try:
        out = shell.run(f"due R4.2 {_uk(clock.today())}")
        assert f"R4.2 — due {clock.today():%a %-d %b %Y}" in out, out
    finally:
        fake.stop()


def test_a_refused_date_is_echoed_escaped(sample, clock):
    shell, fake = make_shell(sample, clock)
    try:
        shell.run("due R4.1 <!channel> tomorrow")
        raw = json.dumps([a for m, a in fake.calls if m == "response_url"])
        assert "<!channel>" not in raw and "&lt;!channel&gt;" in raw, raw
    finally:
        fake.stop()
