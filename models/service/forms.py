"""The action a change form opens on, found only if the person opening the form may make
that change: the same refusal they would meet on sending it, before they type anything."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from models.service.access import require_lead, require_offered, require_owner_or_lead
from models.service.actionviews import action_views
from models.service.lookup import get_action
from models.service.readmodels import ActionView


def action_for_change(
    session: Session, *, ref: str, actor: str, today: date, lead_only: str | None = None
) -> ActionView:
    """The action, if `actor` may change it: its owner or a lead; with `lead_only` (what
    ends "Only a lead can …"), a lead only."""
    if lead_only:
        require_lead(session, actor, lead_only)
    action = get_action(session, ref=ref)
    require_owner_or_lead(session, action, actor, ref)
    return action_views(session, actions=[action], today=today)[0]


def action_to_decline(session: Session, *, ref: str, actor: str, today: date) -> ActionView:
    """The action, if it is being handed to `actor` and they have not accepted it yet."""
    action = get_action(session, ref=ref)
    require_offered(action, actor, ref)
    return action_views(session, actions=[action], today=today)[0]
