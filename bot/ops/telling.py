"""Telling an action's owner of a lead's change to it: a DM, sent once the change has
committed (bot.messages.notify), to the owner only, and never of their own change."""

from __future__ import annotations

from bot.ops.context import Ctx
from bot.reply import Notice
from bot.views.actions import row_text
from bot.views.notices import simple
from models.service import ActionView


def tell_owner(
    c: Ctx, v: ActionView, text: str, kind: str, action_id: int, *, detail: bool = True
) -> list[Notice]:
    """The DM to the owner of `v`, if it has one who is not the actor: `text`, and with
    `detail` the action's row as it now stands (its owner left out: that is who reads it)."""
    if not v.owner or v.owner == c.actor:
        return []
    row = row_text(v, today=c.today, show_owner=False) if detail else None
    return [Notice(v.owner, text, simple(text, detail=row), kind, [action_id])]
