"""Areas for improvement and causes of concern are tracked as recommendations are: a PEEL-style
workbook with a cause of concern (and a recommendation under it), recommendations and areas
for improvement, worked end to end through the real Bolt app (shell), the sweep, the paper
and the workbook round trip (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from slack_sdk import WebClient
from sqlmodel import select

from bot.views.reminders import reminder_message
from jobs.sweep import sweep
from models.paper import build_paper, render_markdown
from models.settings import Settings
from models.tables import Action, Recommendation
from models.transfer import ImportRejected, export_tracker, import_file
from tests.conftest import TZ
from tests.factories import workbook
from tests.slack_helpers import LEAD, OWNER, make_shell

SHEETS = {
    "Inspection": [
        ["Code", "Title", "Force", "Published"],
        [
            "PEEL26",
            "PEEL 2026 inspection of Example Constabulary",
            "Example Constabulary",
            "01/10/2026",
        ],
    ],
    "Recommendations": [
        ["Number", "Kind", "Text", "Timescale", "Cause of concern"],
        ["C1", None, "The force is not consistently protecting vulnerable people.", None, None],
        [
            1,
            "recommendation",
            "Within six months, the force should review its MASH.",
            "within six months",
            "C1",
        ],
        [
            "R2",
            None,
            "The force should improve how it answers 999 calls.",
            "within three months",
            None,
        ],
        ["AFI1", None, "The force should improve how it records ethnicity.", None, None],
        [
            3,
            "area for improvement",
            "The force should improve its stop and search records.",
            None,
            None,
        ],
    ],
    "Actions": [
        ["Ref", "Action", "Owner", "Due", "Status"],
        ["AFI1.1", "Ethnicity recording audit", OWNER, "30/11/2026", "not started"],
        ["C1.1", "Vulnerability board set up", OWNER, "31/03/2027", "on track"],
        ["R1.1", "MASH review", OWNER, "31/01/2027", "on track"],
        ["AFI3.1", "Stop and search dip sample", OWNER, "31/03/2027", "on track"],
    ],
    "People": [
        ["Slack ID", "Name", "Role"],
        [LEAD, "Sam Lead", "lead"],
        [OWNER, "Dee Owner", "member"],
    ],
    "Panel meetings": [["Date", "Paper ref"], ["22/01/2027", "AP27/01"]],
}


def _import(db, clock, path: Path):
    return import_file(db, path, now=clock.now(), today=clock.today(), tz=TZ)


@pytest.fixture
def peel(db, clock, tmp_path):
    _import(db, clock, workbook(tmp_path / "peel.xlsx", SHEETS))
    return db


def _items(db) -> dict[str, Recommendation]:
    with db.read() as s:
        return {r.ref: r for r in s.exec(select(Recommendation)).all()}


def _action(db, item: str, number: int) -> Action:
    rec = _items(db)[item]
    with db.read() as s:
        return s.exec(
            select(Action).where(Action.recommendation_id == rec.id, Action.number == number)
        ).one()


def test_the_import_counts_each_kind_by_its_name(db, clock, tmp_path):
    report = _import(db, clock, workbook(tmp_path / "peel.xlsx", SHEETS))
    assert (
        "causes of concern: 1 new, 0 changed; recommendations: 2 new, 0 changed; "
        "areas for improvement: 2 new, 0 changed; actions: 4 new" in report.text()
    )


def test_the_workbook_gives_each_kind_its_own_refs_and_the_cause_its_recommendation(peel):
    items = _items(peel)
    assert sorted(items) == ["AFI1", "AFI3", "C1", "R1", "R2"]
    assert items["R1"].cause_id == items["C1"].id
    assert items["AFI3"].text.startswith("The force should improve its stop and search")


def test_summary_groups_by_kind_and_shows_the_cause_a_recommendation_is_under(peel, clock):
    shell, _ = make_shell(peel, clock)
    out = shell.run("summary")
    assert "0 of 1 cause of concern, 2 recommendations and 2 areas for improvement" in out
    causes, recs, afis = (
        out.index("Causes of concern"),
        out.index("Recommendations"),
        out.index("Areas for improvement"),
    )
    assert causes < out.index("C1") < recs < out.index("R1") < afis < out.index("AFI1")
    assert "R1 (under C1)" in out
    one = shell.run("summary AFI1")
    assert "AFI1.1" in one and "Ethnicity recording audit" in one


def test_a_lead_adds_signs_off_and_reopens_an_area_for_improvement(peel, clock):
    shell, _ = make_shell(peel, clock)
    out = shell.run(f"add AFI1 Second ethnicity audit owner:<@{OWNER}> due:31/03/2027")
    assert "AFI1.2" in out, out
    assert _action(peel, "AFI1", 2).title == "Second ethnicity audit"
    out = shell.run("signoff AFI3 agreed at panel")
    assert "AFI3" in out and "signed off" in out, out
    assert _items(peel)["AFI3"].status == "signed_off"
    assert _items(peel)["R1"].status != "signed_off"  # AFI3 is not R3 nor any other number 3
    out = shell.run("reopen AFI3")
    assert "AFI3" in out and "outstanding again" in out, out


def test_an_owner_updates_a_cause_of_concern_action_by_button_and_command(peel, clock):
    shell, _ = make_shell(peel, clock, user=OWNER)
    out = shell.run("mine")
    assert "AFI1.1" in out and "C1.1" in out and "R1.1" in out
    out = shell.run("click On track AFI1.1")
    assert "AFI1.1 — on track, recorded" in out, out
    assert _action(peel, "AFI1", 1).status == "on_track"
    assert _action(peel, "AFI3", 1).status == "on_track"  # untouched
    out = shell.run("update C1.1 at risk partners late")
    assert "C1.1" in out and "at risk" in out, out
    assert _action(peel, "C1", 1).status == "at_risk"
    assert _action(peel, "R1", 1).status == "on_track"


def test_the_due_reminder_names_the_area_for_improvement_action_once(peel, clock):
    shell, fake = make_shell(peel, clock)
    settings = Settings(slack_api_url=fake.api_url, slack_bot_token=fake.token)
    client = WebClient(token=fake.token, base_url=fake.api_url)
    fake.printed.clear()
    sweep(db=peel, client=client, settings=settings, now=clock.now(), render=reminder_message)
    dm = "\n".join(fake.printed)
    assert f"DM to @{OWNER}" in dm and "AFI1.1" in dm
    fake.printed.clear()
    sweep(db=peel, client=client, settings=settings, now=clock.now(), render=reminder_message)
    assert "AFI1.1" not in "\n".join(fake.printed)  # sent once


def test_the_paper_groups_the_items_under_their_kinds(peel, clock):
    with peel.read() as s:
        paper = build_paper(s, today=clock.today(), now=clock.now())
    md = render_markdown(paper)
    order = [
        "### Causes of concern",
        "### Cause of concern 1 – Remains outstanding",
        "### Recommendations",
        "### Recommendation 1 – Remains outstanding",
        "### Recommendation 2 – Remains outstanding",
        "### Areas for improvement",
        "### Area for improvement 1 – Remains outstanding",
        "### Area for improvement 3 – Remains outstanding",
    ]
    at = [md.index(h) for h in order]
    assert at == sorted(at)
    assert "| AFI1.1 | Ethnicity recording audit |" in md
    assert "Of the 1 cause of concern, 2 recommendations and 2 areas for improvement" in md
    assert "against the 1 cause of concern, 2 recommendations and 2 areas for improvement" in md
    assert "THE PEEL 2026 INSPECTION (PEEL26) REPORT FOR EXAMPLE CONSTABULARY" in md  # no "OF"


def test_export_then_import_round_trips_every_kind(peel, clock, tmp_path):
    out = tmp_path / "out.xlsx"
    with peel.read() as s:
        export_tracker(s, out, tz=TZ)
    rows = list(load_workbook(out)["Recommendations"].iter_rows(values_only=True))
    header = rows[0]
    kind, cause = header.index("Kind"), header.index("Cause of concern")
    by_kind = {(r[kind], r[0]): r[cause] for r in rows[1:]}
    assert by_kind[("recommendation", 1)] == "C1"
    assert ("area for improvement", 3) in by_kind and ("cause of concern", 1) in by_kind
    actions = [r[0] for r in load_workbook(out)["Actions"].iter_rows(min_row=2, values_only=True)]
    assert actions == ["C1.1", "R1.1", "AFI1.1", "AFI3.1"]
    assert _import(peel, clock, out).nothing_changed


@pytest.mark.parametrize(
    ("row", "column", "why"),
    [
        (
            ["AFI2", "cause of concern", "Text.", None, None],
            "Kind",
            "does not match the number AFI2",
        ),
        ([4, "concern-ish", "Text.", None, None], "Kind", "is not a kind"),
        ([4, None, "Text.", None, "C9"], "Cause of concern", "unknown cause of concern"),
        (["AFI4", None, "Text.", None, "C1"], "Cause of concern", "only a recommendation"),
        (["X4", None, "Text.", None, None], "Number", "is not an item number"),
    ],
)
def test_a_bad_kind_or_cause_is_refused_with_its_row_named(db, clock, tmp_path, row, column, why):
    sheets = {**SHEETS, "Recommendations": [*SHEETS["Recommendations"], row]}
    with pytest.raises(ImportRejected) as e:
        _import(db, clock, workbook(tmp_path / "bad.xlsx", sheets))
    assert [(p.sheet, p.row, p.column) for p in e.value.problems if why in p.why] == [
        ("Recommendations", 7, column)
    ], str(e.value)
    with db.read() as s:
        assert s.exec(select(Recommendation)).all() == []  # nothing written


def test_an_unknown_item_names_what_the_kind_has(peel, clock):
    shell, _ = make_shell(peel, clock)
    out = shell.run("show AFI9")
    assert "There is no area for improvement AFI9; PEEL26 has AFI1, AFI3." in out
    out = shell.run("show C1.5")
    assert "There is no action C1.5. C1 has: C1.1." in out
