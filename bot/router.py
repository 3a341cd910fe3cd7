"""`/ncpi <text>` → a Reply. The conversation answers the command
(`conversation.commands.answer`: an outcome, a change's `Done` or `Held`, a `Form`, a
`Read`, a report to draft), given how Slack's words become its own (links and, where a
person is named, mentions: bot/syntax.py); bot/render.py draws the outcome.

Errors are `NcpiError`s with the sentence the user sees, always saying how to write it;
they propagate to the app's one error handler, and nothing has changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import render
from bot.reply import Reply
from bot.syntax import conversation_words
from conversation import commands

if TYPE_CHECKING:
    from bot.deps import Deps


def run(
    deps: Deps, text: str, *, actor: str, channel: str | None = None, trigger: str | None = None
) -> Reply:
    """Answer one `/ncpi` command as Slack shows it. Raises NcpiError for anything the user
    must fix."""
    answer = commands.answer(
        deps, text, actor=actor, channel=channel, trigger=trigger, words=conversation_words
    )
    return render.outcome(answer, tz=deps.settings.tz)
