"""`/ncpi <text>` → a Reply. A command is answered by its handler in conversation/commands/
(an outcome: a change's `Done` or `Held`, a `Form`, a `Read`, a report to draft), given the
text with Slack's links read, and drawn by bot/render.py. The two that name a person as
Slack writes one (`<@U…>`), add and assign, are bot/commands/changing.py's.

Errors are `NcpiError`s with the sentence the user sees, always saying how to write it;
they propagate to the app's one error handler, and nothing has changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bot import render
from bot.commands.changing import _add, _assign
from bot.commands.common import unwrap_links
from bot.commands.reading import mine_reply, show_reply
from bot.reply import Reply
from conversation import commands
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
    cmd = Command(text, actor, channel, trigger)
    if not text:
        text = "help"
    name, _, rest = text.partition(" ")
    name = ALIASES.get(name.lower(), name.lower())
    handler = HANDLERS.get(name)
    today = deps.clock.today()
    if handler is None:
        raise UsageError(unknown_message(name, today))
    try:
        if name in commands.HANDLERS:  # the conversation's words: Slack's links read first
            plain = Command(unwrap_links(text), actor, channel, trigger)
            answer = handler(deps, plain, unwrap_links(rest).strip())
            return render.outcome(answer, tz=deps.settings.tz)
        return handler(deps, cmd, rest.strip())
    except Refusal as e:
        raise UsageError(f"{e.message} Write it as {usage(e.name, today)}.") from None
    except SeveralInspections as e:
        raise UsageError(say_which(e, name, rest.strip())) from None


HANDLERS: dict[str, Callable] = {
    **commands.HANDLERS,
    "add": _add,
    "assign": _assign,
}
assert set(HANDLERS) == set(USAGE)
