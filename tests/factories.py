"""Small builders the tests share: a workbook on disk, Slack's signed headers, and the
tracker read back as plain values (`snapshot`, `count`) to say "nothing changed"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlmodel import func, select

from models.tables import Action, Inspection, Member, PanelMeeting, Recommendation, SubPoint
from tests.conftest import empty_tables
from tests.slack_requests import signature


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


def count(db, table) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(table)).one()


def wipe(db) -> None:
    empty_tables(db)
