"""Who may do what: leads, and an action's owner."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Protocol

from sqlmodel import Session, col, select

from models.errors import Forbidden, LeadOnly
from models.people import person
from models.service.members import is_away
from models.tables import (
    CLOSED_STATUSES,
    Action,
    Member,
    Role,
    Status,
)


def is_lead(session: Session, actor: str) -> bool:
    member = session.get(Member, actor)
    return member is not None and member.role == Role.LEAD


def lead_ids(session: Session, *, today: date | None = None) -> list[str]:
    """The leads, by id; with `today`, only those not away that day."""
    leads = session.exec(
        select(Member).where(Member.role == Role.LEAD).order_by(col(Member.user_id))
    ).all()
    if today is not None:
        leads = [m for m in leads if not is_away(m, today)]
    return [m.user_id for m in leads]


def require_lead(session: Session, actor: str, doing: str) -> None:
    if not is_lead(session, actor):
        raise LeadOnly(f"Only a lead can {doing}.")


def require_owner_or_lead(session: Session, action: Action, actor: str, ref: str) -> None:
    if action.owner == actor or is_lead(session, actor):
        return
    owner = person(action.owner)
    raise Forbidden(
        f"{ref} belongs to {owner}; only its owner or a lead can change it. "
        "Use `/ncpi mine` to see your own actions."
    )


class Owned(Protocol):
    """An action or its view: what the rules below read."""

    status: str
    owner: str | None
    owner_accepted: bool


def offered_to(action: Owned, actor: str) -> bool:
    """The action is being handed to `actor`, who has not accepted it yet."""
    return action.owner == actor and not action.owner_accepted


def require_offered(action: Owned, actor: str, ref: str) -> None:
    """Only the person an action is being handed to may decline it, and only before accepting."""
    if not offered_to(action, actor):
        raise Forbidden(f"{ref} is not waiting for you to accept it.")


class Change(StrEnum):
    """A change a person can make to an action from wherever it is shown."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    IMPLEMENTED = "implemented"
    UPDATE = "update"
    VERIFY = "verify"
    RETURN = "return"
    ACCEPT = "accept"
    DECLINE = "decline"


PROGRESS = (Change.ON_TRACK, Change.AT_RISK, Change.IMPLEMENTED, Change.UPDATE)


def allowed_changes(action: Owned, *, viewer: str | None, lead: bool) -> tuple[Change, ...]:
    """What `viewer` (a lead or not) is offered for `action`: nothing once it is closed; a
    lead verifies or returns an implemented action; the person it is being handed to accepts
    or declines it; its owner or a lead reports progress; anyone else reads it. `viewer`
    None: a row drawn for its owner without naming them."""
    if action.status in CLOSED_STATUSES:
        return ()
    if action.status == Status.IMPLEMENTED:
        return (Change.VERIFY, Change.RETURN) if lead else ()
    if viewer is not None and offered_to(action, viewer):
        return (Change.ACCEPT, Change.DECLINE)
    if viewer is not None and action.owner != viewer and not lead:
        return ()
    return PROGRESS
