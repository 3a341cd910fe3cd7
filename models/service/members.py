"""People: their roles, and when they are away or snoozed. `is_away` is the one
answer to 'who is paused'."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlmodel import Session, select

from models.errors import UsageError
from models.service.audit import record
from models.service.lookup import get_inspection
from models.tables import (
    Inspection,
    Member,
    Role,
    Source,
)


def ensure_member(session: Session, user_id: str, *, name: str | None = None) -> Member:
    member = session.get(Member, user_id)
    if member is None:
        member = Member(user_id=user_id, display_name=name or user_id)
        session.add(member)
    elif name and member.display_name == member.user_id:
        member.display_name = name
    return member


def set_away(
    session: Session,
    *,
    actor: str,
    until: date,
    today: date,
    now: datetime,
    source: Source,
) -> Member:
    if until <= today:
        raise UsageError("`away until` needs a date after today, e.g. `away until 2 January`.")
    member = ensure_member(session, actor)
    before = member.away_until
    member.away_until = until
    _record_member(
        session,
        actor=actor,
        now=now,
        source=source,
        field="away_until",
        before=before,
        after=until.isoformat(),
    )
    return member


def set_back(session: Session, *, actor: str, now: datetime, source: Source) -> Member:
    member = ensure_member(session, actor)
    if member.away_until is None:
        raise UsageError("You are not marked away; reminders are already on.")
    before = member.away_until
    member.away_until = None
    _record_member(
        session,
        actor=actor,
        now=now,
        source=source,
        field="away_until",
        before=before.isoformat(),
        after=None,
    )
    return member


def _record_member(
    session: Session,
    *,
    actor: str,
    now: datetime,
    source: Source,
    field: str,
    before: object,
    after: object,
) -> None:
    """A person's change is recorded under every inspection (history rows need one)."""
    ids = session.exec(select(Inspection.id).order_by(Inspection.id)).all()
    if not ids:
        get_inspection(session)  # raises: no inspection is set up yet, so nothing to pause
    for insp_id in ids:
        record(
            session,
            inspection_id=insp_id,
            actor=actor,
            now=now,
            source=source,
            field=field,
            before=before,
            after=after,
        )


def snooze(
    session: Session, *, actor: str, until: date, today: date, now: datetime, source: Source
) -> Member:
    """ "Remind me next working day": the actor's reminders pause until `until`."""
    if until <= today:
        raise UsageError("A snooze needs a day after today.")
    member = ensure_member(session, actor)
    before = member.snoozed_until
    member.snoozed_until = until
    _record_member(
        session,
        actor=actor,
        now=now,
        source=source,
        field="snoozed_until",
        before=before.isoformat() if before else None,
        after=until.isoformat(),
    )
    return member


def ensure_leads(session: Session, *, leads: Iterable[str]) -> list[str]:
    """Setup: the people named in NCPI_LEADS are leads. Returns those who were not yet."""
    made = []
    for user_id in leads:
        member = session.get(Member, user_id)
        if member is None or member.role != Role.LEAD:
            set_role(session, user_id=user_id, role=Role.LEAD)
            made.append(user_id)
    return made


def set_role(session: Session, *, user_id: str, role: Role, name: str | None = None) -> Member:
    """Setup only (settings, import, CLI): no Slack front end grants roles."""
    member = ensure_member(session, user_id, name=name)
    member.role = role
    return member


def is_away(member: Member | None, today: date) -> bool:
    return bool(member and member.away_until and member.away_until > today)
