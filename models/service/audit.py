"""The tracker's history: `record` writes one `Update` row per change (every writer,
including import and the sample, goes through it); `history` reads them back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from models.parsing import parse_ref
from models.service.lookup import get_action, get_recommendation, inspection_id_for
from models.tables import (
    Action,
    Source,
    Status,
    Update,
)

# What a person said about an action: the history rows in which someone reports on it (a
# status set, a note, evidence given), whoever reads them: the planner (has the owner
# answered?), `latest_note` (what show quotes), the paper's progress.
SAID_FIELDS = ("status", "note", "evidence")


def said_words(u: Update) -> str | None:
    """What a history row says in a person's words: its note, or an evidence link (the paper's
    progress, the review's candidates and the personal-data check of both read this)."""
    return u.after if u.field == "evidence" else u.note


def record(
    session: Session,
    *,
    inspection_id: int | None = None,
    actor: str,
    now: datetime,
    source: Source | str,
    field: str,
    before: object = None,
    after: object = None,
    note: str | None = None,
    action: Action | None = None,
    recommendation_id: int | None = None,
    panel_id: int | None = None,
) -> Update:
    """One history row. A row about an action is under its item and its inspection, unless
    told otherwise; any other names its inspection."""
    if inspection_id is None:
        if action is None:
            raise ValueError("a history row names its inspection, or the action it is about")
        inspection_id = inspection_id_for(session, action)
    row = Update(
        inspection_id=inspection_id,
        recommendation_id=recommendation_id
        if recommendation_id is not None
        else (action.recommendation_id if action else None),
        action_id=action.id if action else None,
        panel_id=panel_id,
        actor=actor,
        at=now,
        field=field,
        before=None if before is None else str(before),
        after=None if after is None else str(after),
        note=note,
        source=str(Source(source)),
    )
    session.add(row)
    return row


def history(session: Session, *, ref: str, inspection: str | None = None) -> list[Update]:
    """Every change to an action (or a recommendation and its actions), oldest first."""
    r = parse_ref(ref)
    if r.is_action:
        action = get_action(session, ref=r, inspection=inspection)
        where = Update.action_id == action.id
    else:
        rec = get_recommendation(session, ref=r, inspection=inspection)
        where = Update.recommendation_id == rec.id
    return list(session.exec(select(Update).where(where).order_by(Update.at, Update.id)).all())


def latest_note(session: Session, *, ref: str, inspection: str | None = None) -> Update | None:
    """The newest thing someone wrote about an action: a note, or a status change with one.
    Evidence is left out: it is shown as the evidence (and marking it implemented carries it)."""
    action = get_action(session, ref=ref, inspection=inspection)
    not_evidence = and_(
        Update.field != "evidence",
        or_(Update.field != "status", Update.after != Status.IMPLEMENTED),
    )
    return session.exec(
        select(Update)
        .where(Update.action_id == action.id, col(Update.field).in_(SAID_FIELDS), not_evidence)
        .where(col(Update.note).is_not(None))
        .order_by(col(Update.id).desc())
        .limit(1)
    ).first()
