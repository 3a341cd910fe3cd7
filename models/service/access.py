"""Who may do what: leads, and an action's owner."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from models.errors import Forbidden, LeadOnly
from models.people import person
from models.service.members import is_away
from models.tables import (
    Action,
    Member,
    Role,
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
