"""People: their roles, and when they are away or snoozed. `is_away` and `is_paused` are
the one answer to who is away and who is sent nothing today; `where_leads_hear` the one
answer to where the leads are told."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sqlmodel import Session, select

from models.errors import UsageError
from models.service.audit import record
from models.service.lookup import get_inspection
from models.tables import (
    Inspection,
    Member,
    Paragraph,
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


def name_of(session: Session, user_id: str) -> str:
    """A person as the paper's wording records them: their name in the member table, or
    their id while the table has none (a front end fills it: `fill_names`)."""
    member = session.get(Member, user_id)
    return member.display_name if member is not None and member.display_name else user_id


def unnamed(session: Session) -> list[str]:
    """Members the table knows only by id (their display name is their id)."""
    return list(
        session.exec(select(Member.user_id).where(Member.display_name == Member.user_id)).all()
    )


def fill_names(session: Session, names: dict[str, str]) -> int:
    """Members with no name take the one given (a front end's directory, e.g. Slack's
    users.info); a name the table already holds is kept. Returns how many were named. Paper
    wording that recorded such a member by id names them too."""
    named = 0
    for user_id, name in names.items():
        member = session.get(Member, user_id)
        name = " ".join((name or "").split())[:200]
        if member is None or not name or member.display_name != member.user_id:
            continue
        member.display_name = name
        session.add(member)
        for p in session.exec(select(Paragraph).where(Paragraph.author == user_id)).all():
            p.author = name
            session.add(p)
        named += 1
    return named


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


SETTING = "NCPI_LEADS"  # the actor of the role changes the setting makes


@dataclass(frozen=True)
class LeadChanges:
    added: list[str]
    removed: list[str]


def sync_leads(session: Session, *, leads: Iterable[str], now: datetime) -> LeadChanges:
    """Start-up: NCPI_LEADS is the source of truth for the leads it makes. The people it names
    are leads; those it made and no longer names are not. A lead the People sheet or a hand
    edit made is left as it is, named or not. Each change is a history row."""
    named = list(dict.fromkeys(leads))
    added = []
    for user_id in named:
        member = session.get(Member, user_id)
        if member is not None and member.role == Role.LEAD:
            continue  # already a lead, the setting's or someone else's: unchanged
        member = ensure_member(session, user_id)
        _record_role(session, member, after=Role.LEAD, now=now)
        member.role, member.lead_by_setting = Role.LEAD, True
        added.append(user_id)
    removed = []
    made = select(Member).where(Member.lead_by_setting).order_by(Member.user_id)
    for member in session.exec(made).all():
        if member.user_id in named:
            continue
        member.lead_by_setting = False
        if member.role == Role.LEAD:  # unless the People sheet has changed it since
            _record_role(session, member, after=Role.MEMBER, now=now)
            member.role = Role.MEMBER
            removed.append(member.user_id)
    return LeadChanges(added=added, removed=removed)


def _record_role(session: Session, member: Member, *, after: Role, now: datetime) -> None:
    """Under every inspection, as the People sheet's role changes are; before any inspection
    is set up there is no history to write it in."""
    for insp_id in session.exec(select(Inspection.id).order_by(Inspection.id)).all():
        record(
            session,
            inspection_id=insp_id,
            actor=SETTING,
            now=now,
            source=Source.CLI,
            field="member_role",
            before=f"{member.user_id}: {member.role}",
            after=f"{member.user_id}: {after}",
        )


def set_role(session: Session, *, user_id: str, role: Role, name: str | None = None) -> Member:
    """Setup only (settings, import, CLI): no Slack front end grants roles."""
    member = ensure_member(session, user_id, name=name)
    member.role = role
    return member


class _Availability(Protocol):
    user_id: str
    role: str
    away_until: date | None
    snoozed_until: date | None


def is_away(member: _Availability | None, today: date) -> bool:
    """Away (`/ncpi away until …`): told nothing as an owner, handed nothing, until back."""
    return bool(member and member.away_until and member.away_until > today)


def is_paused(member: _Availability | None, day: date) -> bool:
    """Sent no reminders that day: away, or snoozed until a later day."""
    return is_away(member, day) or bool(
        member and member.snoozed_until and member.snoozed_until > day
    )


def where_leads_hear(
    members: Iterable[_Availability],
    *,
    digest_channel: str | None,
    today: date,
) -> list[str]:
    """Where leads are told of what waits for them (digests, escalations, work to verify):
    the digest channel when there is one, or else each lead not paused today, by DM."""
    if digest_channel:
        return [digest_channel]
    return sorted(m.user_id for m in members if m.role == Role.LEAD and not is_paused(m, today))


def leads_to_tell(session: Session, *, digest_channel: str | None, today: date) -> list[str]:
    """`where_leads_hear` for the leads in the database."""
    leads = session.exec(select(Member).where(Member.role == Role.LEAD)).all()
    return where_leads_hear(leads, digest_channel=digest_channel, today=today)
