"""`/ncpi <text>` → a Reply. Each command's handler (bot/commands/) reads its words with the
grammar (conversation/grammar.py), calls the domain in one transaction (reads via
`db.read()`, changes via `bot.operations.execute`), and renders a view.

Errors are `NcpiError`s with the sentence the user sees, always saying how to write it;
they propagate to the app's one error handler, and nothing has changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.commands.changing import (
    _add,
    _assign,
    _away,
    _back,
    _done,
    _due,
    _note,
    _reopen,
    _return,
    _signoff,
    _update,
    _verify,
    action_for_change,
)
from bot.commands.common import unwrap_links
from bot.commands.edits import _edit, _reinstate, _rename, _withdraw
from bot.commands.meetings import _milestone, _panel, _report
from bot.commands.reading import _help, _history, _mine, _show, _summary, mine_reply, show_reply
from bot.commands.writing import _findings, _paper, _review
from bot.reply import Reply
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
        return _help(deps, cmd, "")
    name, _, rest = text.partition(" ")
    name = ALIASES.get(name.lower(), name.lower())
    handler = HANDLERS.get(name)
    today = deps.clock.today()
    if handler is None:
        raise UsageError(unknown_message(name, today))
    try:
        return handler(deps, cmd, rest.strip())
    except Refusal as e:
        raise UsageError(f"{e.message} Write it as {usage(e.name, today)}.") from None
    except SeveralInspections as e:
        raise UsageError(say_which(e, name, rest.strip())) from None


HANDLERS: dict[str, Callable[[Deps, Command, str], Reply]] = {
    "help": _help,
    "summary": _summary,
    "mine": _mine,
    "show": _show,
    "history": _history,
    "update": _update,
    "note": _note,
    "done": _done,
    "verify": _verify,
    "return": _return,
    "away": _away,
    "back": _back,
    "add": _add,
    "assign": _assign,
    "due": _due,
    "signoff": _signoff,
    "reopen": _reopen,
    "panel": _panel,
    "report": _report,
    "milestone": _milestone,
    "withdraw": _withdraw,
    "reinstate": _reinstate,
    "rename": _rename,
    "edit": _edit,
    "findings": _findings,
    "paper": _paper,
    "review": _review,
}
assert set(HANDLERS) == set(USAGE)
