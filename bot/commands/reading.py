"""An action, and the actions someone owns, drawn again after a change (bot/messages.py
refreshes the message a button was pressed on): the conversation's reads
(conversation/commands/reading.py) rendered as Slack shows them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import render
from bot.reply import Reply
from conversation.commands.reading import mine_read, show_read

if TYPE_CHECKING:
    from bot.deps import Deps


def mine_reply(deps: Deps, actor: str, *, note: str | None = None) -> Reply:
    return render.read_reply(mine_read(deps, actor, note=note), tz=deps.settings.tz)


def show_reply(deps: Deps, actor: str, ref: str, *, note: str | None = None) -> Reply:
    return render.read_reply(show_read(deps, actor, ref, note=note), tz=deps.settings.tz)
