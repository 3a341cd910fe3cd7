"""Import, export, the template and the audit trail, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot.lookup import slack_email_resolver
from models.errors import UsageError
from models.service import get_action, summary, withdraw_action
from models.settings import load_settings
from models.tables import (
    Action,
    Inspection,
    Member,
    Recommendation,
    Source,
    Update,
)
from models.transfer import (
    TEMPLATE_ROWS,
    ImportRejected,
    export_history,
    export_tracker,
    import_file,
    write_template,
)
from tests import ROOT
from tests.conftest import TZ
from tests.factories import count, snapshot, wipe, workbook


def _import(db, clock, path, **kw):
    return import_file(db, path, now=clock.now(), today=clock.today(), tz=TZ, **kw)


FORCE = {
    "Inspection": [
        ["Code", "Title", "Force", "Fieldwork start", "Fieldwork end", "Published"],
        [
            "NCPI-NK",
            "National Child Protection Inspection, Northshire Police",
            "Northshire Police",
            "06/07/2026",
            datetime(2026, 7, 17),
            "18 December 2026",
        ],
    ],
    "Recs": [
        ["Rec No", "Recommendation", "Time scale", "Status", "Sub points"],
        [
            "R1",
            "That Northshire Police immediately improves its response to missing children.",
            "Immediately",
            "Remains outstanding",
            "• Using the Philomena protocol\n• Improving risk assessment",
        ],
        [
            2,
            "That, within three months, the force reviews MARAC.",
            "Within three months",
            "Signed off",
            None,
        ],
    ],
    "Action Tracker": [
        ["Rec", "Action", "Action owner", "Target date", "RAG", "Latest update"],
        [
            "1",
            "Train control room staff in overnight risk",
            "U0NKOWNER1",
            "31/03/2027",
            "Amber",
            "Slots booked",
        ],
        [
            "R1",
            "Philomena protocol in every children's home",
            "ann.lee@northshire.police.uk",
            "30/04/2027",
            "on track",
            None,
        ],
        [2, "MARAC actions made SMART", "U0NKOWNER1", date(2026, 10, 1), "complete", None],
    ],
    "Panels": [["Meeting date", "Paper no"], ["22/01/2027", "AP27/01"]],
    "Members": [
        ["Slack user id", "Display name", "Email address", "Role"],
        ["U0NKLEAD01", "Head of Safeguarding", "ann.lee@northshire.police.uk", "Lead"],
    ],
}


def test_a_forces_own_workbook_sets_up_its_inspection(db, clock, tmp_path):
    report = _import(db, clock, workbook(tmp_path / "northshire.xlsx", FORCE))
    assert report.created["recommendations"] == 2 and report.created["actions"] == 3
    with db.read() as s:
        sm = summary(s, today=clock.today())
        i = s.exec(select(Inspection)).one()
        insp = (i.code, i.fieldwork_start, i.fieldwork_end, i.published)
        actions = {f"R{r.number}.{a.number}": a for r in sm.recs for a in r.actions}
        sources = set(s.exec(select(Update.source)).all())
        lead_role = s.get(Member, "U0NKLEAD01").role
    assert insp == ("NCPI-NK", date(2026, 7, 6), date(2026, 7, 17), date(2026, 12, 18))
    assert [r.status for r in sm.recs] == ["outstanding", "signed_off"]
    assert sm.recs[0].sub_points == ["Using the Philomena protocol", "Improving risk assessment"]
    assert sm.recs[0].title.startswith("That Northshire Police")
    assert actions["R1.1"].status == "at_risk" and actions["R1.1"].due == date(2027, 3, 31)
    assert actions["R1.2"].owner == "U0NKLEAD01"  # the email, through the Members sheet
    assert actions["R2.1"].status == "implemented"
    assert sm.next_panel.paper_ref == "AP27/01"
    assert lead_role == "lead"
    assert sources == {"import"}
    assert _import(db, clock, tmp_path / "northshire.xlsx").nothing_changed


def test_bad_rows_are_each_reported_and_nothing_is_written(sample, clock, tmp_path):
    before = snapshot(sample)
    updates = count(sample, Update)
    path = workbook(
        tmp_path / "bad.xlsx",
        {
            "Actions": [
                ["Ref", "Recommendation", "Action", "Owner", "Due date", "Status"],
                [None, "R2", "Good new action", "U0DIMISS01", "01/02/2027", "on track"],
                [None, "R2", "Bad date", "U0DIMISS01", "31/02/2027", "on track"],
                [None, "R12", "Unknown recommendation", "U0DIMISS01", "01/02/2027", "on track"],
                [None, "R4", "Unknown status", "U0DIMISS01", "01/02/2027", "nearly there"],
                [None, "R4", "  ", "U0DIMISS01", "01/02/2027", "on track"],
                [None, "R2", "good new action", "U0DIMISS01", "01/03/2027", "on track"],
                ["R9.1", "R9", "Frontline CAID", "U0DIICAIT1", None, None],
                ["R9.1", "R9", "Frontline CAID again", "U0DIICAIT1", None, None],
            ]
        },
    )
    with pytest.raises(ImportRejected) as e:
        _import(sample, clock, path)
    got = {(p.row, p.column): p for p in e.value.problems}
    assert set(got) == {
        (3, "Due date"),
        (4, "Recommendation"),
        (5, "Status"),
        (6, "Action"),
        (7, "Action"),
        (9, "Ref"),
    }
    assert "not a date" in got[(3, "Due date")].why and got[(3, "Due date")].value == "31/02/2027"
    assert "unknown recommendation" in got[(4, "Recommendation")].why
    assert "not a status" in got[(5, "Status")].why
    assert "empty" in got[(6, "Action")].why
    assert "duplicate action: same as row 2" in got[(7, "Action")].why
    assert "duplicate action: same as row 8" in got[(9, "Ref")].why
    assert all(p.sheet == "Actions" for p in e.value.problems)
    assert "Actions row 3, Due date '31/02/2027': is not a date" in e.value.message
    assert snapshot(sample) == before and count(sample, Update) == updates


def test_unknown_email_without_a_token_is_a_bad_row_and_personal_data_is_withheld(
    sample, clock, tmp_path
):
    path = tmp_path / "actions.csv"
    path.write_text(
        "Rec No,Action,Action owner,Target date,Notes\n"
        "R2,Check overnight risk,nobody@example.police.uk,01/02/2027,\n"
        "R2,Call back,U0DIMISS01,01/02/2027,ring 07700 900123 about the child\n"
        "R2,Visit the family at IP1 2AB,U0DIMISS01,01/02/2027,\n"
    )
    with pytest.raises(ImportRejected) as e:
        _import(sample, clock, path)
    by_row = {p.row: p for p in e.value.problems}
    assert "set SLACK_BOT_TOKEN" in by_row[2].why
    assert by_row[3].value == "(withheld)" and "07700" not in e.value.message
    assert by_row[4].column == "Action" and "IP1" not in e.value.message


def test_owner_emails_resolve_through_slack(sample, clock, tmp_path, slack_standin):
    slack_standin.add_user(
        "U0NEWOWNER", real_name="DS Priya Shah", email="priya.shah@example.police.uk"
    )
    settings = load_settings(slack_standin.env())
    path = tmp_path / "actions.csv"
    path.write_text(
        "Recommendation,Action,Owner,Due date,Status\n"
        "R6,MARAC chair trained in SMART actions,Priya.Shah@example.police.uk,15/01/2027,on track\n"
    )
    report = _import(sample, clock, path, resolve=slack_email_resolver(settings))
    assert report.created["actions"] == 1
    assert [c.args["email"] for c in slack_standin.calls_to("users.lookupByEmail")] == [
        "priya.shah@example.police.uk"
    ]
    with sample.read() as s:
        m = s.get(Member, "U0NEWOWNER")
        got = (m.display_name, m.email)
        number = s.exec(select(Action.number).where(Action.owner == "U0NEWOWNER")).one()
    assert got == ("DS Priya Shah", "priya.shah@example.police.uk")
    assert number == 2
    path.write_text(path.read_text().replace("Priya.Shah", "nobody"))
    with pytest.raises(ImportRejected, match="no Slack user has this email"):
        _import(sample, clock, path, resolve=slack_email_resolver(settings))


def test_reimport_and_export_import_round_trip_reproduce_the_tracker(sample, clock, tmp_path):
    xlsx, csv_path = tmp_path / "tracker.xlsx", tmp_path / "actions.csv"
    with sample.read() as s:
        export_tracker(s, xlsx, tz=TZ)
        export_tracker(s, csv_path, tz=TZ)
    before = snapshot(sample)
    updates = count(sample, Update)
    for path in (xlsx, csv_path):  # the same data again: nothing changes, no history
        assert _import(sample, clock, path).nothing_changed
    assert snapshot(sample) == before and count(sample, Update) == updates

    wipe(sample)
    assert count(sample, Action) == 0
    report = _import(sample, clock, xlsx)
    assert report.created["actions"] == 10 and report.created["recommendations"] == 10
    assert snapshot(sample) == before
    assert _import(sample, clock, xlsx).nothing_changed
    again = tmp_path / "again.xlsx"
    with sample.read() as s:
        export_tracker(s, again, tz=TZ)
    assert _sheets(again) == _sheets(xlsx)


def test_a_withdrawn_action_is_exported_with_its_status_and_imports_back_withdrawn(
    sample, clock, tmp_path
):
    with sample.write() as s:
        withdraw_action(
            s,
            ref="R2.1",
            actor="U0SAFELEAD",
            reason="superseded by the MASH review",
            source=Source.COMMAND,
            now=clock.now(),
        )
    xlsx = tmp_path / "tracker.xlsx"
    with sample.read() as s:
        export_tracker(s, xlsx, tz=TZ)
    actions = _sheets(xlsx)["Actions"]
    status = actions[0].index("Status")
    assert [r[status] for r in actions[1:] if r[0] == "R2.1"] == ["withdrawn"]
    before = snapshot(sample)
    wipe(sample)
    _import(sample, clock, xlsx)
    assert snapshot(sample) == before
    with sample.read() as s:
        assert get_action(s, ref="R2.1").status == "withdrawn"
        assert "R2.1" not in {a.ref for a in summary(s, today=clock.today()).open_actions}


def _sheets(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_the_template_round_trips(db, clock, tmp_path):
    template = tmp_path / "template.xlsx"
    write_template(template)
    sheets = _sheets(template)
    assert list(sheets) == [
        "Inspection",
        "Recommendations",
        "Actions",
        "Panel meetings",
        "People",
        "Findings",
        "Paper",
    ]
    # headers and an example row (Findings: one of each section; Paper: two closing sections)
    assert [len(rows) for rows in sheets.values()] == [2, 2, 2, 2, 2, 3, 3]
    report = _import(db, clock, template)
    assert report.created["actions"] == 1 and report.created["inspection"] == 1
    assert _import(db, clock, template).nothing_changed
    out = tmp_path / "out.xlsx"
    with db.read() as s:
        export_tracker(s, out, tz=TZ)
    assert _sheets(out) == sheets
    assert sheets["Actions"][1][0] == TEMPLATE_ROWS["actions"][0][0]


def test_history_export_is_the_audit_trail(sample, clock, tmp_path):
    out = tmp_path / "history.csv"
    with sample.read() as s:
        n = export_history(s, out, inspection="NCPI")
    rows = list(csv.reader(out.open()))
    assert rows[0] == [
        "When (UTC)",
        "Who",
        "Name",
        "Ref",
        "What",
        "Before",
        "After",
        "Note",
        "Source",
    ]
    assert n == len(rows) - 1 == count(sample, Update)
    assert rows[1][3] == "R2.1" and rows[1][4] == "created" and rows[1][8] == "import"


def _cli(args, env, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_import_dry_run_export_and_refusal(sample, clock, tmp_path, db_url):
    env = {"DATABASE_URL": db_url, "NCPI_CLOCK": clock.now().isoformat(), "PATH": "/usr/bin:/bin"}
    good = tmp_path / "good.csv"
    good.write_text(
        "Rec No,Action,Action owner,Target date,RAG\nR2,New thing,U0DIMISS01,01/02/2027,green\n"
    )
    r = _cli(["import", str(good), "--dry-run"], env)
    assert r.returncode == 0, r.stderr
    assert "dry run" in r.stdout and "actions: 1 new" in r.stdout
    assert count(sample, Action) == 10
    bad = tmp_path / "bad.csv"
    bad.write_text("Rec No,Action,Target date\nR2,New thing,32/01/2027\nR77,Other,01/02/2027\n")
    r = _cli(["import", str(bad)], env)
    assert r.returncode == 1
    assert "bad.csv row 2, Target date '32/01/2027'" in r.stderr
    assert "bad.csv row 3, Rec No 'R77': unknown recommendation" in r.stderr
    r = _cli(["import", str(good)], env)
    assert r.returncode == 0 and count(sample, Action) == 11
    out = tmp_path / "tracker.xlsx"
    assert _cli(["export", str(out)], env).returncode == 0
    assert _cli(["export", "--history", str(tmp_path / "h.xlsx")], env).returncode == 0
    assert _cli(["export", "--template", str(tmp_path / "t.xlsx")], env).returncode == 0
    assert len(_sheets(out)["Actions"]) == 12


def test_reimport_with_edits_changes_those_fields_and_records_each_in_history(
    sample, clock, tmp_path
):
    xlsx = tmp_path / "tracker.xlsx"
    with sample.read() as s:
        export_tracker(s, xlsx, tz=TZ)
    wb = load_workbook(xlsx)
    recs, actions = wb["Recommendations"], wb["Actions"]
    rec2 = next(r for r in recs.iter_rows(min_row=2) if r[0].value == 2)
    rec2[3].value = "By 31 March 2027"  # Timescale
    a21 = next(r for r in actions.iter_rows(min_row=2) if r[0].value == "R2.1")
    a21[5].value = datetime(2027, 1, 15)  # Due date
    a21[6].value = "on track"  # Status
    wb.save(xlsx)
    updates = count(sample, Update)

    report = _import(sample, clock, xlsx)

    assert not report.nothing_changed
    with sample.read() as s:
        rec = s.exec(select(Recommendation).where(Recommendation.number == 2)).one()
        action = s.exec(
            select(Action).where(Action.recommendation_id == rec.id, Action.number == 1)
        ).one()
        assert rec.timescale == "By 31 March 2027"
        assert action.due == date(2027, 1, 15) and action.status == "on_track"
        new = s.exec(select(Update).order_by(Update.id).offset(updates)).all()
    assert {(u.field, u.after, u.source) for u in new} >= {
        ("rec_timescale", "By 31 March 2027", "import"),
        ("due", "2027-01-15", "import"),
        ("status", "on_track", "import"),
    }
    assert len(new) == 3


def test_an_import_waits_out_slacks_rate_limit_on_owner_emails(
    sample, clock, tmp_path, slack_standin
):
    """users.lookupByEmail is rate limited (Tier 3): a workbook with many owners meets a 429.
    The import waits as Slack's Retry-After asks and goes on; it is not refused as if the
    token lacked a scope."""
    slack_standin.add_user(
        "U0NEWOWNER", real_name="DS Priya Shah", email="priya.shah@example.police.uk"
    )
    slack_standin.rate_limit_next(2, retry_after=1, methods=("users.lookupByEmail",))
    settings = load_settings(slack_standin.env())
    path = tmp_path / "actions.csv"
    path.write_text(
        "Recommendation,Action,Owner,Due date,Status\n"
        "R6,MARAC chair trained in SMART actions,priya.shah@example.police.uk,15/01/2027,on track\n"
    )
    report = _import(sample, clock, path, resolve=slack_email_resolver(settings))
    assert report.created["actions"] == 1
    assert len(slack_standin.calls_to("users.lookupByEmail")) == 3  # two 429s, then the answer
    with sample.read() as s:
        assert s.exec(select(Action.owner).where(Action.title.startswith("MARAC chair"))).one() == (
            "U0NEWOWNER"
        )


def test_an_import_slack_keeps_rate_limiting_is_refused_saying_so(
    sample, clock, tmp_path, slack_standin
):
    slack_standin.add_user(
        "U0NEWOWNER", real_name="DS Priya Shah", email="priya.shah@example.police.uk"
    )
    slack_standin.rate_limit_next(10, retry_after=0, methods=("users.lookupByEmail",))
    settings = load_settings(slack_standin.env())
    path = tmp_path / "actions.csv"
    path.write_text(
        "Recommendation,Action,Owner,Due date,Status\n"
        "R6,MARAC chair trained in SMART actions,priya.shah@example.police.uk,15/01/2027,on track\n"
    )
    before = count(sample, Action)
    with pytest.raises(
        UsageError, match="still rate-limiting users.lookupByEmail; nothing was imported"
    ):
        _import(sample, clock, path, resolve=slack_email_resolver(settings))
    assert count(sample, Action) == before
