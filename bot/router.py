"""`/ncpi <text>` → a Reply. Parses every command in DESIGN.md's grammar, calls the domain in
one transaction (reads via `db.read()`, changes via `bot.operations.execute`), renders a view.

Errors are `NcpiError`s with the sentence the user sees, always saying how to write it;
they propagate to the app's one error handler, and nothing has changed.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from datetime import date
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
from bot.commands.common import USAGE, Command, _Usage, _usage, unwrap_links
from bot.commands.edits import _edit, _reinstate, _rename, _withdraw
from bot.commands.meetings import _milestone, _panel, _report
from bot.commands.reading import _help, _history, _mine, _show, _summary, mine_reply, show_reply
from bot.commands.writing import _findings, _paper, _review
from bot.reply import Reply
from models.errors import SeveralInspections, UsageError
from models.parsing import parse_ref, qualified
from models.people import plain

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

ALIASES = {
    "sign-off": "signoff",
    "sign_off": "signoff",
    "?": "help",
    "status": "summary",
    "me": "mine",
    "milestones": "milestone",
}


def normalise(text: str) -> str:
    text = " ".join(plain(text or "").split())
    if text.lower().startswith("/ncpi"):
        text = text[5:].strip()
    return text


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
    except _Usage as e:
        raise UsageError(f"{e.message} Write it as {_usage(e.name, today)}.") from None
    except SeveralInspections as e:
        raise UsageError(say_which(e, name, rest.strip())) from None


def say_which(e: SeveralInspections, name: str, rest: str) -> str:
    """No inspection named while several are tracked: the command again, with each code."""
    word, _, tail = rest.partition(" ")
    try:
        ref = parse_ref(word)
    except UsageError:
        ref = None

    def again(code: str) -> str:
        if ref is not None and ref.inspection is None:  # `show R2.1` → `show NCPI:R2.1`
            return " ".join(["/ncpi", name, qualified(ref, code), tail[:60]]).strip()
        return " ".join(["/ncpi", name, code, rest[:60]]).strip()  # `panel NCPI add …`

    examples = " or ".join(f"`{again(c)}`" for c in e.codes[:4])
    return f"Several inspections are tracked ({', '.join(e.codes)}); say which: {examples}."


def unknown_message(name: str, today: date) -> str:
    close = difflib.get_close_matches(name, list(HANDLERS), n=1, cutoff=0.5)
    shown = name[:40]
    if close:
        first = _usage(close[0], today).split(" or ")[0]
        return (
            f"`{shown}` is not an /ncpi command. Did you mean {first}? `/ncpi help` lists them all."
        )
    return f"`{shown}` is not an /ncpi command. `/ncpi help` lists them all, with examples."


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
