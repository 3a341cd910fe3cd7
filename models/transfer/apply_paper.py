"""Writing the Findings and Paper sheets: the paper's own paragraphs, in row order."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlmodel import Session

from models.service.narrative import Written, replace_paragraphs, stored
from models.tables import Inspection, PaperSection, Recommendation
from models.transfer.cells import Plan, Record
from models.transfer.changes import Writer
from models.transfer.schema import ACTOR


def apply_paragraphs(
    session: Session,
    w: Writer,
    plan: Plan,
    insp: Inspection,
    recs: dict[tuple[str, int], Recommendation],
    today: date,
) -> None:
    """The Findings and Paper sheets: each (recommendation, section) they name holds the
    sheet's paragraphs, in row order; a section the sheets do not name is left alone. A row
    without a date or author keeps the stored paragraph's when its text is unchanged."""
    groups: dict[tuple[int | None, str], list[Record]] = defaultdict(list)
    for r in plan.findings:
        groups[(recs[r.get("rec")].id, r.get("section"))].append(r)
    for r in plan.paper:
        groups[(None, r.get("section"))].append(r)
    if not groups:
        return
    have = stored(session, inspection_id=insp.id)
    for (rec_id, section), rows in groups.items():
        old = have.get((rec_id, section), [])
        new = []
        for i, r in enumerate(rows):
            p = old[i] if i < len(old) else None
            same = p is not None and p.text == r.get("text")
            new.append(
                Written(
                    text=r.get("text"),
                    written_on=r.get("date") or (p.written_on if same else today),
                    author=r.get("author") or (p.author if same else ACTOR),
                )
            )
        kind = "paper" if rec_id is None else "findings"

        def log(*, position: int, rows: list[Record] = rows, kind: str = kind, **kw: Any) -> None:
            w.at = rows[min(position, len(rows)) - 1]
            w.record(**kw)
            if kw.get("before") is None:
                w.report.created[kind] += 1
            else:
                w.report.changed[kind] += 1

        replace_paragraphs(
            session,
            inspection_id=insp.id,
            recommendation_id=rec_id,
            section=PaperSection(section),
            new=new,
            log=log,
            old=old,
        )
