"""`/ncpi <text>` → a Reply. A command is answered by its handler in conversation/commands/
(an outcome: a change's `Done` or `Held`, a `Form`, a `Read`, a report to draft), given the
text in the conversation's words (Slack's links and, where a person is named, its mentions
read: bot/commands/common.py), and drawn by bot/render.py.

Errors are `NcpiError`s with the sentence the user sees, always saying how to write it;
they propagate to the app's one error handler, and nothing has changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import render
from bot.commands.common import conversation_words, unwrap_links
from bot.commands.reading import mine_reply, show_reply
from bot.reply import Reply
from conversation.commands import HANDLERS
from conversation.commands.changing import action_for_change
from conversation.grammar import (
    ALIASES,
    USAGE,
    Command,
    Refusal,
    normalise,
    say_which,
    unknown_message,
    usage,
)
from models.errors import SeveralInspections, UsageError

if TYPE_CHECKING:
    from bot.deps import Deps

__all__ = [
    "ALIASES",
    "HANDLERS",
    "USAGE",
    "Command",
    "action_for_change",
    "mine_reply",
    "run",
    "show_reply",
    "unwrap_links",
]


def run(
    deps: Deps, text: str, *, actor: str, channel: str | None = None, trigger: str | None = None
) -> Reply:
    """Answer one `/ncpi` command. Raises NcpiError for anything the user must fix."""
    text = normalise(text)
    if not text:
        text = "help"
    name, _, rest = text.partition(" ")
    name = ALIASES.get(name.lower(), name.lower())
    handler = HANDLERS.get(name)
    today = deps.clock.today()
    if handler is None:
        raise UsageError(unknown_message(name, today))
    words = conversation_words(name, text)
    cmd = Command(words, actor, channel, trigger)
    try:
        answer = handler(deps, cmd, words.partition(" ")[2].strip())
        return render.outcome(answer, tz=deps.settings.tz)
    except Refusal as e:
        raise UsageError(f"{e.message} Write it as {usage(e.name, today)}.") from None
    except SeveralInspections as e:
        raise UsageError(say_which(e, name, rest.strip())) from None


assert set(HANDLERS) == set(USAGE)
