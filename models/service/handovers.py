"""Handing an action to a new owner, who accepts or declines it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from models.errors import Forbidden, UsageError
from models.people import person
from models.service.access import require_offered
from models.service.actions import take_on, touch
from models.service.audit import record
from models.service.checks import check_note
from models.service.lookup import action_ref, get_action
from models.service.members import ensure_member
from models.service.opening import open_for_lead
from models.tables import (
    Action,
    Source,
    Status,
    Update,
)


@dataclass
class Handover:
    action: Action
    ref: str
    previous_owner: str | None
    new_owner: str
    offered_by: str | None = None  # declined: who made the offer (the last to hand it over)


def assign_action(
    session: Session,
    *,
    ref: str,
    owner: str,
    actor: str,
    source: Source,
    now: datetime,
    note: str | None = None,
    inspection: str | None = None,
    confirmed: bool = False,
) -> Handover:
    action, shown = open_for_lead(
        session, get_action, ref, inspection, actor=actor, doing="assign actions", open_only=True
    )
    note = check_note(note, confirmed=confirmed)
    if action.status == Status.VERIFIED:
        raise UsageError(
            f"{shown} is verified and closed; reopen its work with a new action instead."
        )
    if action.owner == owner:
        raise UsageError(f"{shown} already belongs to {person(owner)}.")
    ensure_member(session, owner)
    previous = action.owner
    action.owner = owner
    action.owner_accepted = owner == actor
    touch(action, now)
    record(
        session,
        actor=actor,
        now=now,
        source=source,
        field="owner",
        before=previous,
        after=owner,
        note=note,
        action=action,
    )
    return Handover(action=action, ref=shown, previous_owner=previous, new_owner=owner)


def accept_handover(
    session: Session,
    *,
    ref: str,
    actor: str,
    source: Source,
    now: datetime,
    inspection: str | None = None,
) -> Action:
    action = get_action(session, ref=ref, inspection=inspection, for_update=True, open_only=True)
    shown = action_ref(session, action)
    if action.owner != actor:
        raise Forbidden(f"{shown} is not being handed to you.")
    take_on(session, action, actor=actor, now=now, source=source)
    return action


def decline_handover(
    session: Session,
    *,
    ref: str,
    actor: str,
    reason: str,
    source: Source,
    now: datetime,
    inspection: str | None = None,
    confirmed: bool = False,
) -> Handover:
    """The offered owner declines: ownership goes back to whoever held it before."""
    action = get_action(session, ref=ref, inspection=inspection, for_update=True, open_only=True)
    shown = action_ref(session, action)
    require_offered(action, actor, shown)
    reason = check_note(reason, confirmed=confirmed, what="reason")
    if not reason:
        raise UsageError("Say why you are declining, so the lead can find the right owner.")
    previous = _last_accepted_owner(session, action)
    offered_by = _offered_by(session, action)
    action.owner = previous
    action.owner_accepted = True
    touch(action, now)
    record(
        session,
        actor=actor,
        now=now,
        source=source,
        field="owner",
        before=actor,
        after=previous,
        note=f"declined: {reason}",
        action=action,
    )
    return Handover(
        action=action,
        ref=shown,
        previous_owner=actor,
        new_owner=previous or "",
        offered_by=offered_by,
    )


def _offered_by(session: Session, action: Action) -> str | None:
    """Who last handed the action over: the author of its latest change of owner."""
    last = session.exec(
        select(Update)
        .where(Update.action_id == action.id, Update.field == "owner")
        .order_by(col(Update.id).desc())
    ).first()
    return last.actor if last else None


def _last_accepted_owner(session: Session, action: Action) -> str | None:
    """Who held the action before the offer now pending, skipping offers nobody accepted
    (A → B offered, then re-offered to C before B answered: C's decline goes back to A)."""
    rows = session.exec(
        select(Update)
        .where(Update.action_id == action.id, col(Update.field).in_(("owner", "handover")))
        .order_by(col(Update.id))
    ).all()
    first_owner_row = next((r for r in rows if r.field == "owner"), None)
    # Owners set without history (sample, import) count as accepted.
    owner = first_owner_row.before if first_owner_row else None
    holder, accepted = owner, True
    for row in rows:
        if row.field == "handover":
            accepted = accepted or row.after == "accepted"
        elif (row.note or "").startswith("declined:"):
            owner, accepted = row.after, True
        else:  # an offer, unless made to oneself or by an import (which sets owners outright)
            owner = row.after
            accepted = owner is None or owner == row.actor or row.source == Source.IMPORT
        if accepted:
            holder = owner
    return holder
