"""The tracker as it stood at a past instant, rebuilt from its history.

Today's rows are the end of the story the append-only `Update` table tells; undoing every
history row written after the instant, newest first, gives the rows as they were then. A
field whose history was never written (rows made before the history began) keeps today's
value: history can only take a value back, never invent one. Actions created after the
instant are left out, and so are recommendations whose creation was recorded after it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.kinds import RANK, item_ref
from models.service.actionviews import action_view, member_names, panel_view
from models.service.lookup import get_inspection
from models.service.panels import next_panel
from models.service.readmodels import ActionView, Rag, RecView, Summary, is_open, rag
from models.tables import (
    Action,
    Recommendation,
    RecStatus,
    Status,
    SubPoint,
    Update,
)


@dataclass
class _Rec:
    id: int
    kind: str
    number: int
    cause_id: int | None
    title: str
    text: str
    timescale: str | None
    status: str
    signed_off_on: date | None
    sub_points: list[str] = field(default_factory=list)
    present: bool = True

    @property
    def ref(self) -> str:
        return item_ref(self.kind, self.number)


@dataclass
class _Action:
    id: int
    recommendation_id: int
    number: int
    title: str
    owner: str | None
    owner_accepted: bool
    due: date | None
    status: str
    evidence: str | None


_ACTION_FIELDS = {"status", "owner", "due", "evidence", "title"}
_REC_FIELDS = {"rec_status", "rec_title", "rec_text", "rec_timescale", "rec_signed_off_on"}


def summary_as_it_stood(
    session: Session, *, at: datetime, day: date, inspection: str | None = None
) -> Summary:
    """The whole tracker as it stood at `at` (UTC-aware), shaped as `summary` shapes today's:
    statuses, owners, due dates, evidence, recommendation statuses and sign-off dates as
    they were then, RAG and lateness judged on `day`. A fixed number of queries."""
    insp = get_inspection(session, code=inspection)
    recs = {
        r.id: _Rec(
            id=r.id,
            kind=r.kind,
            number=r.number,
            cause_id=r.cause_id,
            title=r.title,
            text=r.text,
            timescale=r.timescale,
            status=r.status,
            signed_off_on=r.signed_off_on,
        )
        for r in session.exec(
            select(Recommendation).where(Recommendation.inspection_id == insp.id)
        ).all()
    }
    for sp in session.exec(
        select(SubPoint)
        .where(col(SubPoint.recommendation_id).in_(list(recs)))
        .order_by(SubPoint.position)
    ).all():
        recs[sp.recommendation_id].sub_points.append(sp.text)
    actions = {
        row[0]: _Action(*row)
        for row in session.exec(
            select(
                Action.id,
                Action.recommendation_id,
                Action.number,
                Action.title,
                Action.owner,
                Action.owner_accepted,
                Action.due,
                Action.status,
                Action.evidence,
            ).where(col(Action.recommendation_id).in_(list(recs)), Action.created_at <= at)
        ).all()
    }
    later = session.exec(
        select(Update)
        .where(Update.inspection_id == insp.id, Update.at > at)
        .order_by(col(Update.at).desc(), col(Update.id).desc())
    ).all()
    for u in later:
        if u.action_id is not None:
            if u.action_id in actions:
                _undo_action(actions[u.action_id], u)
        elif u.recommendation_id in recs:
            _undo_rec(recs[u.recommendation_id], u)
    _signed_off_days(session, recs, at=at, day=day)

    last = dict(
        session.exec(
            select(Update.action_id, func.max(Update.at))
            .where(col(Update.action_id).in_(list(actions)), Update.at <= at)
            .group_by(Update.action_id)
        ).all()
    )
    names = member_names(session, (a.owner for a in actions.values()))
    by_rec: dict[int, list[ActionView]] = defaultdict(list)
    for a in sorted(actions.values(), key=lambda a: (a.recommendation_id, a.number)):
        rec = recs[a.recommendation_id]
        if not rec.present:
            continue
        by_rec[rec.id].append(action_view(a, rec, day=day, names=names, last=last))
    panel = next_panel(session, today=day, inspection_id=insp.id)
    return Summary(
        inspection_code=insp.code,
        inspection_title=insp.title,
        today=day,
        next_panel=panel_view(panel, day) if panel else None,
        recs=[
            RecView(
                number=r.number,
                kind=r.kind,
                cause=recs[r.cause_id].ref if r.cause_id in recs else None,
                title=r.title,
                text=r.text,
                timescale=r.timescale,
                status=r.status,
                signed_off_on=r.signed_off_on,
                sub_points=r.sub_points,
                actions=by_rec[r.id],
            )
            for r in sorted(recs.values(), key=lambda r: (RANK[r.kind], r.number))
            if r.present
        ],
    )


def open_by_rag_as_they_stood(
    session: Session, *, instants: Sequence[tuple[datetime, date]], inspection: str | None = None
) -> list[dict[str, int]]:
    """For each (`at`, `day`), the open actions by RAG (every RAG, zeros too) as the tracker
    stood at `at`, judged on `day`: what `summary_as_it_stood` would count, for any number of
    instants in a fixed number of queries (history is read once and undone newest first,
    counted as it passes each instant)."""
    insp = get_inspection(session, code=inspection)
    present = {
        rec_id: True
        for rec_id in session.exec(
            select(Recommendation.id).where(Recommendation.inspection_id == insp.id)
        ).all()
    }
    rows = session.exec(
        select(Action, Action.created_at).where(col(Action.recommendation_id).in_(list(present)))
    ).all()
    actions = {
        a.id: (
            _Action(
                a.id,
                a.recommendation_id,
                a.number,
                a.title,
                a.owner,
                a.owner_accepted,
                a.due,
                a.status,
                a.evidence,
            ),
            created,
        )
        for a, created in rows
    }
    if not instants:
        return []
    earliest = min(at for at, _ in instants)
    later = iter(
        session.exec(
            select(Update)
            .where(Update.inspection_id == insp.id, Update.at > earliest)
            .order_by(col(Update.at).desc(), col(Update.id).desc())
        ).all()
    )
    pending = next(later, None)
    counted: dict[int, dict[str, int]] = {}
    for i, (at, day) in sorted(enumerate(instants), key=lambda x: x[1][0], reverse=True):
        while pending is not None and pending.at > at:
            if pending.action_id is not None:
                if pending.action_id in actions:
                    _undo_action(actions[pending.action_id][0], pending)
            elif pending.recommendation_id in present and pending.field == "created":
                present[pending.recommendation_id] = False
            pending = next(later, None)
        counts = dict.fromkeys(Rag.ORDER, 0)
        for a, created in actions.values():
            if created > at or not present[a.recommendation_id]:
                continue
            if is_open(a.status) or a.status == Status.IMPLEMENTED:  # RecView.open_actions
                key = rag(a.status, a.due, day)
                if key in counts:
                    counts[key] += 1
        counted[i] = counts
    return [counted[i] for i in range(len(instants))]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _undo_action(a: _Action, u: Update) -> None:
    """Put back what one history row changed on an action."""
    if u.field == "handover":  # an accepted offer was, before, still an offer
        a.owner_accepted = False
    elif u.field not in _ACTION_FIELDS:
        return
    elif u.field == "due":
        a.due = _day(u.before)
    elif u.field == "owner":
        a.owner, a.owner_accepted = u.before, True
    elif u.field == "status":
        a.status = u.before or Status.NOT_STARTED
    else:
        setattr(a, u.field, u.before)


def _undo_rec(r: _Rec, u: Update) -> None:
    """Put back what one history row changed on a recommendation."""
    if u.field == "created":
        r.present = False
    elif u.field == "sub_points":
        r.sub_points = u.before.split("\n") if u.before else []
    elif u.field == "rec_signed_off_on":
        r.signed_off_on = _day(u.before)
    elif u.field == "rec_status":
        r.status = u.before or RecStatus.OPEN
    elif u.field in _REC_FIELDS:
        setattr(r, u.field.removeprefix("rec_"), u.before)


def _signed_off_days(session: Session, recs: dict[int, _Rec], *, at: datetime, day: date) -> None:
    """A recommendation not signed off then has no sign-off date; one signed off then, whose
    date is missing or later (reopened, or signed off again, since), takes the day of its
    last sign-off on or before `at`."""
    wanting = []
    for r in recs.values():
        if r.status != RecStatus.SIGNED_OFF:
            r.signed_off_on = None
        elif r.signed_off_on is None or r.signed_off_on > day:
            wanting.append(r.id)
    if not wanting:
        return
    for rec_id, when in session.exec(
        select(Update.recommendation_id, func.max(Update.at))
        .where(
            col(Update.recommendation_id).in_(wanting),
            col(Update.action_id).is_(None),
            Update.field == "rec_status",
            Update.after == RecStatus.SIGNED_OFF,
            Update.at <= at,
        )
        .group_by(Update.recommendation_id)
    ).all():
        recs[rec_id].signed_off_on = when.date() if isinstance(when, datetime) else _day(when)
