"""The planner's facts: a fixed handful of set-based queries, whatever the number of
actions (open actions, members, reminders sent before today, owners' updates since)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from models.kinds import RANK
from models.parsing import EARLIEST, LATEST, in_window, qualified
from models.planner.model import Skipped, _Person, _Row
from models.service.audit import SAID_FIELDS
from models.tables import (
    OPEN_STATUSES,
    REMINDER_FINAL,
    Action,
    Inspection,
    Member,
    PanelMeeting,
    Recommendation,
    Reminder,
    Source,
    Status,
    Update,
)

_OPEN = {str(s) for s in OPEN_STATUSES}


def _members(session: Session) -> dict[str, _Person]:
    """Every member, by user id: their role, manager and when they are back."""
    return {
        m.user_id: m
        for m in (
            _Person(*row)
            for row in session.execute(
                select(
                    Member.user_id,
                    Member.role,
                    Member.manager,
                    Member.away_until,
                    Member.snoozed_until,
                )
            )
        )
    }


def _panels(session: Session) -> list[PanelMeeting]:
    """Every panel meeting not cancelled, by inspection and day."""
    return list(
        session.execute(
            select(PanelMeeting)
            .where(PanelMeeting.cancelled == False)  # noqa: E712
            .order_by(PanelMeeting.inspection_id, PanelMeeting.day)
        ).scalars()
    )


def _open_rows(session: Session) -> list[_Row]:
    """Open and implemented actions with their refs: one query, plain tuples (no ORM)."""
    q = (
        select(
            Action.id,
            Recommendation.number,
            Recommendation.kind,
            Action.number,
            Action.title,
            Action.owner,
            Action.due,
            Action.status,
            Recommendation.inspection_id,
            Inspection.code,
        )
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .join(Inspection, Inspection.id == Recommendation.inspection_id)
        .where(col(Action.status).in_([*_OPEN, str(Status.IMPLEMENTED)]))
    )
    conn = session.connection()
    several = conn.execute(select(func.count()).select_from(Inspection)).scalar_one() > 1
    # Core rows straight from the connection: no ORM identity map for 100,000 tuples.
    return [_Row(*row, several) for row in conn.execute(q).all()]


def _plannable(session: Session, rows: list[_Row]) -> tuple[list[_Row], list[Skipped]]:
    """The rows the calendar can reason about, and a Skipped for each one it cannot."""
    good: list[_Row] = []
    bad: list[_Row] = []
    for r in rows:
        if r.due is not None and not (in_window(r.due)):
            bad.append(r)
        else:
            good.append(r)
    if not bad:
        return good, []
    window = f"{EARLIEST.year}-{LATEST.year}"
    skipped = [
        Skipped(
            r.id,
            qualified(r.plain_ref, r.code),
            f"due date {r.due.isoformat()} is outside {window}",
        )
        for r in sorted(bad, key=lambda r: (r.code, RANK[r.kind], r.rec, r.number))
        if r.due is not None
    ]
    return good, skipped


@dataclass
class _Sent:
    """The latest local day each (kind, target) was claimed on, before today."""

    latest: dict[tuple[str, str], date]
    by_recipient: dict[tuple[str, str], date]  # (kind, recipient) → latest day

    def last(self, kind: str, target: str) -> date:
        return self.latest.get((kind, target), date.min)

    def last_to(self, kind: str, recipient: str) -> date:
        return self.by_recipient.get((kind, recipient), date.min)


def _sent_before(session: Session, *, since: date, today: date) -> _Sent:
    q = (
        select(Reminder.kind, Reminder.target, Reminder.recipient, func.max(Reminder.local_day))
        .where(Reminder.local_day >= since, Reminder.local_day < today)
        # a reminder Slack never took (missed, still to retry) is owed again in today's catch-up
        .where(col(Reminder.state).in_(REMINDER_FINAL))
        .group_by(Reminder.kind, Reminder.target, Reminder.recipient)
    )
    latest: dict[tuple[str, str], date] = {}
    by_recipient: dict[tuple[str, str], date] = {}
    for kind, target, recipient, day in session.connection().execute(q):
        latest[(kind, target)] = max(day, latest.get((kind, target), date.min))
        by_recipient[(kind, recipient)] = max(day, by_recipient.get((kind, recipient), date.min))
    return _Sent(latest, by_recipient)


def _updated_since(session: Session, since: datetime, action_ids: set[int]) -> set[int]:
    """Actions their owner has updated (said something: a status, a note or evidence, as the
    action's current owner, not by an import) at or after `since` (uses the index on Update.at)."""
    q = (
        select(Update.action_id)
        .join(Action, Action.id == Update.action_id)
        .where(
            Update.at >= since,
            Update.actor == Action.owner,
            col(Update.field).in_(SAID_FIELDS),
            Update.source != str(Source.IMPORT),
        )
    )
    return {aid for (aid,) in session.connection().execute(q.distinct()) if aid in action_ids}
