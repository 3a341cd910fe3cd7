"""Export: the tracker as a workbook (every sheet) or a CSV of actions, and the audit trail.

Export writes the same sheets and columns import reads, so export → import into an empty
database reproduces the tracker. Notes are user text: they go to files, never to logs.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models.errors import UsageError
from models.kinds import action_ref, in_order, item_ref, noun
from models.service import get_inspection
from models.service.narrative import stored
from models.service.sections import SECTION_LABEL
from models.tables import (
    CLOSING_SECTIONS,
    REC_SECTIONS,
    Action,
    Member,
    PanelMeeting,
    PaperSection,
    Recommendation,
    Status,
    SubPoint,
    Update,
)
from models.transfer.apply import latest_notes
from models.transfer.schema import (
    ACTIONS,
    EXPORT_ACTION_HEADERS,
    HISTORY_HEADERS,
    KINDS,
    Kind,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _headers(kind: Kind) -> list[str]:
    return EXPORT_ACTION_HEADERS if kind is ACTIONS else [c.header for c in kind.columns]


def _status_word(status: str) -> str:
    return Status(status).label


def _rec_status_word(status: str) -> str:
    return {"signed_off": "signed off"}.get(status, status)


def tracker_rows(
    session: Session, *, tz: ZoneInfo, inspection: str | None = None
) -> dict[str, list[list[Any]]]:
    """The whole tracker as rows per sheet (dates as `date`), in a fixed number of queries."""
    insp = get_inspection(session, code=inspection)
    recs = session.exec(
        select(Recommendation).where(Recommendation.inspection_id == insp.id).order_by(*in_order())
    ).all()
    rec_ids = [r.id for r in recs]
    item_of = {r.id: r for r in recs}
    place = {r.id: i for i, r in enumerate(recs)}
    subs: dict[int, list[str]] = defaultdict(list)
    for sp in session.exec(
        select(SubPoint)
        .where(col(SubPoint.recommendation_id).in_(rec_ids))
        .order_by(SubPoint.position)
    ).all():
        subs[sp.recommendation_id].append(sp.text)
    actions = sorted(
        session.exec(select(Action).where(col(Action.recommendation_id).in_(rec_ids))).all(),
        key=lambda a: (place[a.recommendation_id], a.number),
    )
    notes = latest_notes(session, [a.id for a in actions])
    members = session.exec(select(Member).order_by(Member.user_id)).all()
    names = {m.user_id: m.display_name for m in members}
    panels = session.exec(
        select(PanelMeeting).where(PanelMeeting.inspection_id == insp.id).order_by(PanelMeeting.day)
    ).all()
    paragraphs = stored(session, inspection_id=insp.id)

    def written(rec_id: int | None, sections: tuple[PaperSection, ...]) -> list[list[Any]]:
        return [
            [SECTION_LABEL[s], p.text, p.written_on, p.author]
            for s in sections
            for p in paragraphs.get((rec_id, s), [])
        ]

    return {
        "findings": [[r.ref, *row] for r in recs for row in written(r.id, REC_SECTIONS)],
        "paper": written(None, CLOSING_SECTIONS),
        "inspection": [
            [
                insp.code,
                insp.title,
                insp.inspectorate,
                insp.force,
                insp.fieldwork_start,
                insp.fieldwork_end,
                insp.published,
                insp.reinspected,
            ]
        ],
        "recommendations": [
            [
                r.number,
                r.title,
                r.text,
                r.timescale,
                _rec_status_word(r.status),
                r.signed_off_on,
                "\n".join(subs[r.id]) or None,
                noun(r.kind),
                item_of[r.cause_id].ref if r.cause_id in item_of else None,
            ]
            for r in recs
        ],
        "actions": [
            [
                f"{item_of[a.recommendation_id].ref}.{a.number}",
                item_of[a.recommendation_id].ref,
                a.title,
                a.owner,
                names.get(a.owner) if a.owner else None,
                a.due,
                _status_word(a.status),
                a.evidence,
                notes.get(a.id),
            ]
            for a in actions
        ],
        "panels": [
            [
                p.day,
                p.starts_at.astimezone(tz).strftime("%H:%M"),
                p.title,
                p.paper_ref,
                "yes" if p.cancelled else "no",
            ]
            for p in panels
        ],
        "people": [[m.user_id, m.display_name, m.email, m.role, m.manager] for m in members],
    }


def _sheet_rows(kind: Kind, rows: dict[str, list[list[Any]]]) -> list[list[Any]]:
    return rows[kind.key]


def write_workbook(rows: dict[str, list[list[Any]]], out: Path | io.BytesIO) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    for kind in KINDS:
        ws = wb.create_sheet(kind.sheet)
        ws.append(_headers(kind))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in _sheet_rows(kind, rows):
            ws.append(row)
        for r in ws.iter_rows(min_row=2):
            for cell in r:
                _as_text(cell)
                if isinstance(cell.value, date):
                    cell.number_format = "DD/MM/YYYY"
                if isinstance(cell.value, str) and "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for i, h in enumerate(_headers(kind), start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = max(12, min(60, len(h) + 8))
        ws.freeze_panes = "A2"
    wb.save(out)


def _as_text(cell: Any) -> None:
    """User text that starts with `=` is stored as text, never as a formula."""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"


def _csv_value(v: Any) -> str:
    """A cell a spreadsheet will not run: text that could start a formula is quoted (OWASP).

    Only a number the bot wrote itself (an int or float, never text that looks like one, such
    as `-1+1` or `-2+3+cmd|' /C calc'!A0`) goes out bare."""
    if v is None:
        return ""
    if isinstance(v, date):
        return f"{v:%d/%m/%Y}"
    if isinstance(v, int | float) and not isinstance(v, bool):
        return str(v)
    s = str(v)
    return "'" + s if s[:1] in FORMULA_STARTS else s


def write_csv(headers: list[str], rows: Iterable[list[Any]], out: Path) -> None:
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(headers)
        for row in rows:
            w.writerow([_csv_value(v) for v in row])


def export_tracker(
    session: Session, out: Path, *, tz: ZoneInfo, inspection: str | None = None
) -> int:
    """Writes the tracker (xlsx: every sheet; csv: the actions). Returns the rows written."""
    rows = tracker_rows(session, tz=tz, inspection=inspection)
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        write_workbook(rows, out)
        return sum(len(v) for v in rows.values())
    if suffix == ".csv":
        write_csv(EXPORT_ACTION_HEADERS, rows["actions"], out)
        return len(rows["actions"])
    raise UsageError(f"Export to an .xlsx workbook or a .csv file, not {out.name}.")


def history_rows(session: Session, *, inspection: str | None = None) -> list[list[Any]]:
    """The full audit trail, oldest first: who, when, what, before, after."""
    insp = get_inspection(session, code=inspection)
    rows = session.exec(
        select(Update, Recommendation.kind, Recommendation.number, Action.number, PanelMeeting.day)
        .outerjoin(Recommendation, Recommendation.id == Update.recommendation_id)
        .outerjoin(Action, Action.id == Update.action_id)
        .outerjoin(PanelMeeting, PanelMeeting.id == Update.panel_id)
        .where(Update.inspection_id == insp.id)
        .order_by(Update.at, Update.id)
    ).all()
    names = {m.user_id: m.display_name for m in session.exec(select(Member)).all()}
    out = []
    for u, kind, rec_no, action_no, panel_day in rows:
        if action_no is not None:
            ref = action_ref(kind, rec_no, action_no)
        elif rec_no is not None:
            ref = item_ref(kind, rec_no)
        elif panel_day is not None:
            ref = f"panel {panel_day:%d/%m/%Y}"
        else:
            ref = insp.code
        out.append(
            [
                u.at.strftime("%Y-%m-%d %H:%M:%S"),
                u.actor,
                names.get(u.actor),
                ref,
                u.field,
                u.before,
                u.after,
                u.note,
                u.source,
            ]
        )
    return out


def export_history(session: Session, out: Path, *, inspection: str | None = None) -> int:
    rows = history_rows(session, inspection=inspection)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        write_csv(HISTORY_HEADERS, rows, out)
    elif suffix == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        ws.title = "History"
        ws.append(HISTORY_HEADERS)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        for r in ws.iter_rows(min_row=2):
            for cell in r:
                _as_text(cell)
        ws.freeze_panes = "A2"
        wb.save(out)
    else:
        raise UsageError(f"Export to an .xlsx workbook or a .csv file, not {out.name}.")
    return len(rows)
