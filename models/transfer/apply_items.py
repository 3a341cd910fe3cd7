"""Writing a checked plan's inspection items (recommendations, areas for improvement, causes
of concern) and their sub-points; the caller holds the transaction."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, col, select

from models.kinds import NOUNS, item_ref
from models.tables import Inspection, ItemKind, Recommendation, RecStatus, SubPoint
from models.transfer.cells import Plan
from models.transfer.changes import Writer


def _title_from_text(text: str) -> str:
    words = text.split()
    title = " ".join(words[:8])
    return title if len(words) <= 8 else title + "…"


def apply_recs(
    session: Session,
    w: Writer,
    plan: Plan,
    insp: Inspection,
    existing: dict[tuple[str, int], Recommendation],
) -> dict[tuple[str, int], Recommendation]:
    """The file's items written (created, or changed where the file differs), by (kind,
    number); a recommendation's cause of concern linked once every item exists."""
    recs = dict(existing)
    subs: dict[int, list[SubPoint]] = defaultdict(list)
    if existing:
        for sp in session.exec(
            select(SubPoint)
            .where(col(SubPoint.recommendation_id).in_([r.id for r in existing.values()]))
            .order_by(SubPoint.position)
        ).all():
            subs[sp.recommendation_id].append(sp)
    for r in plan.recs:
        w.at = r
        n = r.get("number")
        rec = recs.get(n)
        if rec is None:
            status = r.get("status") or RecStatus.OPEN
            rec = Recommendation(
                inspection_id=insp.id,
                kind=n[0],
                number=n[1],
                title=r.get("title") or _title_from_text(r.get("text")),
                text=r.get("text"),
                timescale=r.get("timescale"),
                status=status,
                signed_off_on=r.get("signed_off_on"),
            )
            session.add(rec)
            session.flush()
            recs[n] = rec
            w.record(field="created", after=rec.title, recommendation_id=rec.id)
            if status != RecStatus.OPEN:
                w.record(
                    field="rec_status",
                    before=RecStatus.OPEN,
                    after=status,
                    recommendation_id=rec.id,
                )
            for i, text in enumerate(r.get("sub_points") or [], start=1):
                session.add(SubPoint(recommendation_id=rec.id, position=i, text=text))
            w.report.created[NOUNS[ItemKind(rec.kind)]] += 1
            continue
        kw = {"recommendation_id": rec.id}
        changed = False
        if r.has("title") and r.get("title"):
            changed |= w.set(rec, "title", r.get("title"), field="rec_title", **kw)
        for column in ("text", "timescale", "status", "signed_off_on"):
            if r.has(column):
                changed |= w.set(rec, column, r.get(column), field=f"rec_{column}", **kw)
        if r.has("sub_points"):
            old = subs[rec.id]
            new = r.get("sub_points")
            if [s.text for s in old] != new:
                w.record(
                    field="sub_points",
                    before="\n".join(s.text for s in old) or None,
                    after="\n".join(new) or None,
                    **kw,
                )
                for s in old:
                    session.delete(s)
                session.flush()
                for i, text in enumerate(new, start=1):
                    session.add(SubPoint(recommendation_id=rec.id, position=i, text=text))
                changed = True
        if changed:
            w.report.changed[NOUNS[ItemKind(rec.kind)]] += 1
    for r in plan.recs:
        if r.has("cause"):
            w.at = r
            rec, cause = recs[r.get("number")], r.get("cause")
            cause_id = recs[cause].id if cause else None
            if rec.cause_id != cause_id:
                before = next((k for k, v in recs.items() if v.id == rec.cause_id), None)
                w.record(
                    field="rec_cause",
                    before=item_ref(*before) if before else None,
                    after=item_ref(*cause) if cause else None,
                    recommendation_id=rec.id,
                )
                rec.cause_id = cause_id
                session.add(rec)
    session.flush()
    return recs
