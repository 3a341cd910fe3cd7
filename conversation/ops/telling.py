"""Telling an action's owner of a lead's change to it: a DM, sent once the change has
committed, to the owner only, and never of their own change."""

from __future__ import annotations

from conversation.ops.context import Ctx
from conversation.outcomes import Tell
from conversation.said import Person, Said, Strong
from conversation.wording import clip, offer, quoted, row
from models.service import ActionView, Change


def tell_owner(
    c: Ctx, v: ActionView, text: Said, kind: str, action_id: int, *, detail: bool = True
) -> list[Tell]:
    """The DM to the owner of `v`, if it has one who is not the actor: `text`, and with
    `detail` the action's row as it now stands (its owner left out: that is who reads it)."""
    if not v.owner or v.owner == c.actor:
        return []
    shown = row(v, today=c.today, show_owner=False) if detail else None
    return [Tell(v.owner, kind, [action_id], text, detail=shown)]


def handover(v: ActionView, *, lead: str, note: str | None, action_id: int) -> Tell:
    """The DM offering `v` to its new owner, to accept or decline."""
    return Tell(
        v.owner or "",
        "handover",
        [action_id],
        (Person(lead), " has handed you ", Strong(v.typed_ref), ". Will you take it on?"),
        short=(
            Person(lead),
            f" has handed you {v.typed_ref} {clip(v.title, 150)}: accept or decline.",
        ),
        detail=row(v, show_owner=False),
        quote=quoted(clip(note, 1500)) if note else None,
        offers=[offer(Change.ACCEPT, v.qualified_ref), offer(Change.DECLINE, v.qualified_ref)],
        subject=v.qualified_ref,
    )
