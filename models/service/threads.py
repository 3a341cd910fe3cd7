"""The bot's DMs about actions and the replies in their threads: which actions a DM is
about (recorded once it is sent, by whoever sent it), which of them a reply is about, and
each reply taken once however often the platform delivers it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.service.actionviews import action_views
from models.service.readmodels import ActionView
from models.tables import Action, BotMessage, Receipt


def record_dm(
    session: Session,
    *,
    channel: str,
    ts: str,
    recipient: str,
    kind: str,
    action_ids: Iterable[int],
    now: datetime,
) -> None:
    """Remember that the message at (`channel`, `ts`) is about these actions, so a reply in
    its thread becomes a note on them. Once per message; no actions, nothing to remember."""
    ids = ",".join(str(i) for i in action_ids)
    if not ids:
        return
    seen = session.exec(
        select(BotMessage.id).where(BotMessage.channel == channel, BotMessage.ts == ts)
    ).first()
    if seen is None:
        session.add(
            BotMessage(
                channel=channel, ts=ts, recipient=recipient, kind=kind, action_ids=ids, at=now
            )
        )


def thread_actions(session: Session, *, channel: str, thread: str, today: date) -> list[ActionView]:
    """The actions a reply in the thread of (`channel`, `thread`) is about: one, several (the
    replier is asked which), or none when the bot's message there was about no action."""
    dm = session.exec(
        select(BotMessage).where(BotMessage.channel == channel, BotMessage.ts == thread)
    ).first()
    ids = [int(i) for i in dm.action_ids.split(",") if i] if dm else []
    if not ids:
        return []
    actions = list(session.exec(select(Action).where(col(Action.id).in_(ids))).all())
    return action_views(session, actions=actions, today=today)


def claim_reply(session: Session, *, channel: str, ts: str, actor: str, now: datetime) -> bool:
    """True the first time the reply at (`channel`, `ts`) is seen; False for the same message
    again (a retry, or a new delivery of it). Two at once: the loser's commit fails on the
    receipt's key, and its caller treats that as False."""
    key = f"event:{channel}:{ts}"
    if session.get(Receipt, key) is not None:
        return False
    session.add(Receipt(key=key, actor=actor, at=now, result="event"))
    session.flush()
    return True
