"""Small builders the tests share: a workbook on disk, Slack's signed headers, and the
tracker read back as plain values (`snapshot`, `count`, `refusal_snapshot`) to say "nothing
changed"; `run` and `refused` call one operation as a listener would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlmodel import func, select

from models.errors import NcpiError
from models.people import people
from models.sample import LEAD
from models.tables import (
    Action,
    Inspection,
    Member,
    PanelMeeting,
    Recommendation,
    SubPoint,
    Update,
)
from tests.conftest import empty_tables
from tests.slack_requests import signature

# A small inspection's workbook: its inspection, two recommendations, a panel and its lead;
# a test adds or replaces sheets with `{**BASE_SHEETS, "Findings": ...}`.
BASE_SHEETS = {
    "Inspection": [
        ["Code", "Title", "Force", "Fieldwork start", "Published", "Re-inspected"],
        [
            "NCPI",
            "National Child Protection Inspection, Suffolk Constabulary",
            "Suffolk Constabulary",
            "18/07/2022",
            "22/12/2022",
            "01/07/2023",
        ],
    ],
    "Recommendations": [
        ["Number", "Title", "Text", "Status"],
        [1, "Partners", "That the force works with partners.", "signed off"],
        [2, "Missing children", "That the force improves its response.", "outstanding"],
    ],
    "Panel meetings": [["Date", "Paper ref"], ["18/12/2026", "AP26/04"]],
    "People": [["Slack ID", "Name", "Role"], [LEAD, "Head of Safeguarding", "lead"]],
}


def workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """An .xlsx at `path` with one sheet per entry, its rows as given (header row first)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(row)
    wb.save(path)
    return path


def bolt_signed_headers(secret: str, body: str, timestamp: int) -> dict[str, list[str]]:
    """A slash command's headers as Bolt's `BoltRequest` takes them, signed with `secret`."""
    return {
        "content-type": ["application/x-www-form-urlencoded"],
        "x-slack-request-timestamp": [str(timestamp)],
        "x-slack-signature": [signature(secret, timestamp, body)],
    }


def snapshot(db) -> dict:
    """The tracker's state, without ids and timestamps."""
    with db.read() as s:
        insp = {
            i.id: (
                i.code,
                i.title,
                i.inspectorate,
                i.force,
                i.fieldwork_start,
                i.fieldwork_end,
                i.published,
                i.reinspected,
            )
            for i in s.exec(select(Inspection)).all()
        }
        recs = {
            r.id: (insp[r.inspection_id][0], r.number) for r in s.exec(select(Recommendation)).all()
        }
        return {
            "inspections": sorted(insp.values(), key=str),
            "recs": sorted(
                (
                    recs[r.id],
                    r.title,
                    r.text,
                    r.timescale,
                    r.status,
                    r.signed_off_on,
                )
                for r in s.exec(select(Recommendation)).all()
            ),
            "subs": sorted(
                (recs[p.recommendation_id], p.position, p.text)
                for p in s.exec(select(SubPoint)).all()
            ),
            "actions": sorted(
                (recs[a.recommendation_id], a.number, a.title, a.owner, a.due, a.status, a.evidence)
                for a in s.exec(select(Action)).all()
            ),
            "panels": sorted(
                (insp[p.inspection_id][0], p.day, p.starts_at, p.title, p.paper_ref, p.cancelled)
                for p in s.exec(select(PanelMeeting)).all()
            ),
            "members": sorted(
                (m.user_id, m.display_name, m.email, m.role, m.manager)
                for m in s.exec(select(Member)).all()
            ),
        }


def refusal_snapshot(db) -> dict:
    """Everything a refusal must leave alone, read in a fresh transaction."""
    with db.read() as s:
        return {
            "actions": [
                (a.recommendation_id, a.number, a.title, a.owner, a.owner_accepted, a.due)
                + (a.status, a.evidence, a.updated_at)
                for a in s.exec(select(Action).order_by(Action.id)).all()
            ],
            "recs": [
                (r.number, r.status, r.signed_off_on)
                for r in s.exec(select(Recommendation).order_by(Recommendation.id)).all()
            ],
            "members": [
                (m.user_id, m.role, m.away_until, m.snoozed_until)
                for m in s.exec(select(Member).order_by(Member.user_id)).all()
            ],
            "panels": [
                (p.day, p.cancelled, p.paper_ref)
                for p in s.exec(select(PanelMeeting).order_by(PanelMeeting.id)).all()
            ],
            "updates": s.exec(select(func.count()).select_from(Update)).one(),
        }


def run(db, fn, **kw):
    """One operation in its own write transaction, as a listener would call it."""
    with db.write() as s:
        return fn(s, **kw)


def refused(db, fn, exc: type[NcpiError] = NcpiError, **kw) -> str:
    """The operation is refused with `exc`, and the database is exactly as it was."""
    before = refusal_snapshot(db)
    with pytest.raises(exc) as info:
        run(db, fn, **kw)
    assert refusal_snapshot(db) == before
    assert info.value.message
    # People as a plain-text front end renders them (the domain names them by id, no markup)
    return people(info.value.message, lambda user: f"@{user}")


def count(db, table) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(table)).one()


def wipe(db) -> None:
    empty_tables(db)
