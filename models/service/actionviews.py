"""An action as the views show it, filled from the tables: who owns it by name, when it was
last updated, its inspection (`views_of`, `action_view`), and the reads built on that:
someone's actions (`my_actions`), one action (`show_action`), a panel (`panel_view`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.calendar import overdue_working_days
from models.kinds import action_ref
from models.service.lookup import get_action, several_inspections
from models.service.readmodels import ActionView, PanelView, rag
from models.tables import (
    CLOSED_STATUSES,
    Action,
    Inspection,
    Member,
    PanelMeeting,
    Recommendation,
    Update,
)


def member_names(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = session.exec(select(Member).where(col(Member.user_id).in_(wanted))).all()
    return {m.user_id: m.display_name for m in rows}


def last_updates(session: Session, action_ids: Iterable[int]) -> dict[int, datetime]:
    """When each action last changed (its newest history row), UTC-aware. Asked in chunks,
    so a sweep over a big tracker stays under the database's parameter limit."""
    out: dict[int, datetime] = {}
    ids = sorted(set(action_ids))
    for k in range(0, len(ids), 5000):
        rows = session.exec(
            select(Update.action_id, func.max(Update.at))
            .where(col(Update.action_id).in_(ids[k : k + 5000]))
            .group_by(Update.action_id)
        ).all()
        for aid, at in rows:
            out[aid] = at if at.tzinfo else at.replace(tzinfo=UTC)
    return out


def inspection_codes(session: Session, rec_ids: Iterable[int]) -> dict[int, str]:
    """Recommendation id → its inspection's code."""
    wanted = set(rec_ids)
    if not wanted:
        return {}
    rows = session.exec(
        select(Recommendation.id, Inspection.code)
        .join(Inspection, Inspection.id == Recommendation.inspection_id)
        .where(col(Recommendation.id).in_(wanted))
    ).all()
    return dict(rows)


def views_of(
    session: Session, rows: list[tuple[Action, Recommendation]], today: date
) -> list[ActionView]:
    """Each (action, its item) as the views show it."""
    names = member_names(session, (a.owner for a, _ in rows))
    last = last_updates(session, [a.id for a, _ in rows])
    codes = inspection_codes(session, (a.recommendation_id for a, _ in rows))
    several = bool(rows) and several_inspections(session)
    return [
        action_view(
            action,
            rec,
            day=today,
            names=names,
            last=last,
            inspection=codes.get(action.recommendation_id, ""),
            several=several,
        )
        for action, rec in rows
    ]


def action_view(
    a: Action,
    rec: Recommendation,
    *,
    day: date,
    names: dict[str, str],
    last: dict[int, datetime],
    inspection: str = "",
    several: bool = False,
) -> ActionView:
    """An action and its item (as they are, or as they stood: anything with their
    columns) as the views show it on `day`."""
    return ActionView(
        ref=action_ref(rec.kind, rec.number, a.number),
        rec_number=rec.number,
        rec_id=rec.id,
        rec_kind=rec.kind,
        number=a.number,
        title=a.title,
        owner=a.owner,
        owner_name=names.get(a.owner or ""),
        owner_accepted=a.owner_accepted,
        due=a.due,
        status=a.status,
        rag=rag(a.status, a.due, day),
        evidence=a.evidence,
        last_update=last.get(a.id),
        overdue_working_days=(
            overdue_working_days(a.due, day) if a.status not in CLOSED_STATUSES else 0
        ),
        inspection=inspection,
        several=several,
    )


def panel_view(p: PanelMeeting, today: date) -> PanelView:
    return PanelView(
        day=p.day,
        starts_at=p.starts_at,
        paper_ref=p.paper_ref,
        title=p.title,
        days_away=(p.day - today).days,
    )


def my_actions(session: Session, *, actor: str, today: date) -> list[ActionView]:
    """The actor's open actions (and those awaiting verification), soonest due first;
    not verified or withdrawn ones."""
    rows = session.exec(
        select(Action, Recommendation)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(Action.owner == actor, col(Action.status).not_in(CLOSED_STATUSES))
    ).all()
    views = views_of(session, [tuple(r) for r in rows], today)
    return sorted(
        views, key=lambda v: (v.due or date.max, v.inspection, v.rec_kind, v.rec_number, v.number)
    )


def action_views(session: Session, *, actions: list[Action], today: date) -> list[ActionView]:
    recs = items_by_id(session, {a.recommendation_id for a in actions})
    return views_of(session, [(a, recs[a.recommendation_id]) for a in actions], today)


def items_by_id(session: Session, ids: set[int]) -> dict[int, Recommendation]:
    if not ids:
        return {}
    rows = session.exec(select(Recommendation).where(col(Recommendation.id).in_(ids))).all()
    return {r.id: r for r in rows}


def show_action(
    session: Session, *, ref: str, today: date, inspection: str | None = None
) -> ActionView:
    action = get_action(session, ref=ref, inspection=inspection)
    return action_views(session, actions=[action], today=today)[0]
