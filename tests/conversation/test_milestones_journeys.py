"""Timescales as dates and an inspection's milestones (issue 12.2, 12.3), as people meet them:
a force imports its workbook, a lead reads the summary, moves a milestone; the sweep reminds
the leads before each milestone, once. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from sqlmodel import select

from bot.cli import cli
from models.tables import Update
from tests.factories import workbook
from tests.slack_helpers import make_shell

LEAD = "U0NKLEAD01"
OWNER = "U0NKOWNER1"


def _workbook(path: Path, *, published: str, timescales: list[str]) -> Path:
    sheets = {
        "Inspection": [
            ["Code", "Title", "Force", "Published"],
            ["NCPI", "National Child Protection Inspection", "Northshire Police", published],
        ],
        "Recommendations": [
            ["Number", "Title", "Text", "Timescale", "Status"],
            *(
                [n, f"Area {n}", f"That Northshire Police improves area {n}.", t, "outstanding"]
                for n, t in enumerate(timescales, start=1)
            ),
        ],
        "Actions": [
            ["Ref", "Recommendation", "Action", "Owner", "Due date", "Status"],
            *(
                [f"R{n}.1", f"R{n}", f"Action for area {n}", OWNER, "31/03/2027", "on track"]
                for n in range(1, len(timescales) + 1)
            ),
        ],
        "Panel meetings": [["Date", "Time", "Paper ref"], ["18/12/2026", "10:00", "AP26/04"]],
        "People": [
            ["Slack user id", "Display name", "Role"],
            [LEAD, "Head of Safeguarding", "Lead"],
            [OWNER, "DI Missing Persons", "Member"],
        ],
    }
    return workbook(path, sheets)


def _cli(db, *args: str, clock: str = "2026-11-25T10:00:00Z", slack=None):
    env = {"DATABASE_URL": db.url, "NCPI_CLOCK": clock, **(slack.env() if slack else {})}
    return CliRunner().invoke(cli, ["--env-file", os.devnull, *args], env=env)


def _import(db, tmp_path, **kw):
    result = _cli(db, "import", str(_workbook(tmp_path / "northshire.xlsx", **kw)))
    assert result.exit_code == 0, result.output
    return result.output


# -- 12.2 timescales --------------------------------------------------------------------------


def test_imported_timescales_become_target_dates_in_summary_show_and_the_paper(
    db, clock, tmp_path
) -> None:
    _import(
        db,
        tmp_path,
        published="01/09/2026",
        timescales=["Immediately", "Within three months", "By 31 March 2027"],
    )
    shell, _ = make_shell(db, clock, user=LEAD)

    summary = shell.run("summary")
    # immediately = 28 days after publication: past, with its action open, so red
    assert "R1 Area 1 — outstanding · 🟢 1 · 🔴 past target Tue 29 Sep 2026" in summary
    assert "R2 Area 2 — outstanding · 🟢 1 · target Tue 1 Dec 2026" in summary
    assert "R3 Area 3 — outstanding · 🟢 1 · target Wed 31 Mar 2027" in summary

    shown = shell.run("show R2")
    assert "Timescale: Within three months · target Tue 1 Dec 2026" in shown
    assert "Timescale: Immediately · 🔴 past target Tue 29 Sep 2026" in shell.run("summary R1")

    report = _cli(db, "report", "--out", str(tmp_path / "paper.md"))
    assert report.exit_code == 0, report.output
    paper = (tmp_path / "paper.md").read_text()
    assert (
        "Past the target date its timescale set, with actions still open: "
        "Recommendation 1 (29 September 2026)." in paper
    )
    assert "PCC's comments published (s.55), 26 October 2026 (Police Act 1996 s.55" in paper


def test_immediately_counts_the_configured_period(db, clock, tmp_path) -> None:
    _import(db, tmp_path, published="01/09/2026", timescales=["Immediately"])
    shell, _ = make_shell(db, clock, user=LEAD, immediately_days=14)
    assert "past target Tue 15 Sep 2026" in shell.run("summary")


def test_an_unreadable_timescale_is_refused_on_import_naming_the_row(db, tmp_path) -> None:
    path = _workbook(
        tmp_path / "bad.xlsx",
        published="01/09/2026",
        timescales=["Immediately", "as soon as we can"],
    )
    result = _cli(db, "import", str(path))
    assert result.exit_code != 0
    assert "Recommendations row 3, Timescale 'as soon as we can': is not a timescale" in (
        result.output
    )
    assert "nothing was imported" in result.output
    assert "No inspection is set up yet" in _cli(db, "summary").output


def test_the_lead_digest_lists_recommendations_past_their_target(
    db, tmp_path, slack_standin
) -> None:
    _import(db, tmp_path, published="01/09/2026", timescales=["Immediately", "By 31 March 2027"])
    # Monday 30 November 2026: the weekly digest, to the lead by DM
    out = _cli(db, "reminders", "run", "--at", "2026-11-30T09:00", "--dry-run", slack=slack_standin)
    digest = [line for line in out.output.splitlines() if " digest " in line]
    assert len(digest) == 1 and "1 past target" in digest[0], out.output
    sent = _cli(db, "reminders", "run", "--at", "2026-11-30T09:00", slack=slack_standin)
    assert sent.exit_code == 0, sent.output
    (message,) = [
        m
        for m in slack_standin.messages(slack_standin.dm_channel(LEAD))
        if "Weekly digest" in m["text"]
    ]
    blocks = json.dumps(message["blocks"])
    assert "Past target" in blocks and "target Tue 29 Sep 2026 (immediately) passed" in blocks


# -- 12.3 milestones --------------------------------------------------------------------------


def test_a_report_published_22_december_2022_must_be_answered_by_15_february_2023(
    db, clock, tmp_path
) -> None:
    _import(db, tmp_path, published="22/12/2022", timescales=["Immediately"])
    shell, _ = make_shell(db, clock, user=OWNER)
    out = shell.run("milestone")
    assert "PCC's comments published (s.55): Wed 15 Feb 2023 (passed)" in out
    assert "before the end of the 56-day period beginning on the day the report was published" in (
        out
    )
    assert "Action plan to HMICFRS: Thu 2 Feb 2023" in out  # NCPI: six weeks
    assert "Chief constable's comments to the PCC: Thu 19 Jan 2023" in out
    assert "Re-inspection: not set yet" in out
    assert "PCC's comments published (s.55): Wed 15 Feb 2023" in shell.run("summary")


def test_the_sample_has_its_milestones_from_the_seed(sample, clock) -> None:
    shell, _ = make_shell(sample, clock)
    out = shell.run("summary")
    assert "Milestones (report published Thu 22 Dec 2022)" in out
    assert "PCC's comments published (s.55): Wed 15 Feb 2023 (passed)" in out


def test_a_lead_moves_a_milestone_with_a_reason_and_the_law_is_not_moved(
    db, clock, tmp_path
) -> None:
    _import(db, tmp_path, published="20/11/2026", timescales=["Immediately"])
    owner, _ = make_shell(db, clock, user=OWNER)
    assert "Only a lead" in owner.run("milestone plan 08/01/2027 HMICFRS agreed")

    lead, _ = make_shell(db, clock, user=LEAD)
    refused = lead.run("milestone s55 20/01/2027 the PCC is away")
    assert "set by law" in refused
    assert "Say why" in lead.run("milestone plan 08/01/2027")
    moved = lead.run("milestone move plan 08/01/2027 HMICFRS agreed a week more")
    assert "Action plan to HMICFRS — now Fri 8 Jan 2027" in moved
    out = lead.run("milestone")
    assert "Action plan to HMICFRS: Fri 8 Jan 2027 (in 44 days, moved from Fri 1 Jan 2027)" in out
    assert "PCC's comments published (s.55): Thu 14 Jan 2027 (in 50 days)" in out

    from models.tables import Milestone  # the table this round adds

    with db.read() as session:
        rows = session.exec(select(Update).where(Update.field == "milestone")).all()
        kept = session.exec(select(Milestone)).all()
    assert [(u.actor, u.before, u.after, u.note) for u in rows] == [
        (LEAD, "action_plan 2027-01-01", "action_plan 2027-01-08", "HMICFRS agreed a week more")
    ]
    assert [(m.kind, m.day) for m in kept] == [("action_plan", date(2027, 1, 8))]


def _milestone_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.split()[1:2] == ["milestone"]]


def test_leads_are_reminded_before_each_milestone_once_through_the_sweep(
    db, tmp_path, slack_standin
) -> None:
    # Published Fri 20 Nov 2026: the chief constable's comments Fri 18 Dec (28 days), the
    # s.55 comments Thu 14 Jan 2027 (+55), the action plan Fri 1 Jan 2027 (+42).
    _import(db, tmp_path, published="20/11/2026", timescales=["By 31 March 2027"])

    # Fri 4 Dec, 14 days before the chief constable's comments: one note to the lead
    at = "2026-12-04T09:00"
    dry = _cli(db, "reminders", "run", "--at", at, "--dry-run", slack=slack_standin).output
    (line,) = _milestone_lines(dry)
    assert f"→ {LEAD}" in line and "Chief constable's comments to the PCC: Fri 18 Dec 2026" in line

    first = _cli(db, "reminders", "run", "--at", at, slack=slack_standin)
    assert first.exit_code == 0, first.output
    again = _cli(db, "reminders", "run", "--at", "2026-12-04T15:00", slack=slack_standin)
    assert again.exit_code == 0, again.output
    notes = [
        m
        for m in slack_standin.messages(slack_standin.dm_channel(LEAD))
        if "Milestone" in json.dumps(m["blocks"])
    ]
    assert len(notes) == 1
    assert notes[0]["text"] == (
        "NCPI: Chief constable's comments to the PCC is due in 14 days, Fri 18 Dec 2026."
    )
    listed = _cli(db, "reminders", "list", "--day", "2026-12-04", slack=slack_standin).output
    assert listed.count(" milestone ") == 1 and "M1:chief_constable:2026-12-18" in listed

    # Monday 7 Dec: nothing owed for a milestone (the Friday note covered its day)
    later = _cli(
        db, "reminders", "run", "--at", "2026-12-07T09:00", "--dry-run", slack=slack_standin
    )
    assert _milestone_lines(later.output) == []

    # Thu 31 Dec: 14 days before the s.55 deadline (and the plan's last working day before
    # New Year's Day): one note for each, each once
    dry = _cli(db, "reminders", "run", "--at", "2026-12-31T09:00", "--dry-run", slack=slack_standin)
    lines = _milestone_lines(dry.output)
    assert len(lines) == 2, dry.output
    assert any("PCC's comments published (s.55): Thu 14 Jan 2027, in 14 days" in x for x in lines)
    assert any("Action plan to HMICFRS: Fri 1 Jan 2027, in 1 day" in x for x in lines)
