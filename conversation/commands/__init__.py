"""The `/ncpi` commands no chat platform owns: each handler reads its words with the grammar
(conversation/grammar.py), reads the tracker or runs a change, and answers an outcome (a
`Done` or `Held`, a `Form` to fill in, a `Read`, or a report to draft,
conversation/report.py's `ReportRequest`). A front end calls `answer` with the typed text,
who typed it and how its own syntax (Slack's links and mentions) becomes the conversation's
words, and renders what comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from conversation import run
from conversation.grammar import (
    ALIASES,
    Command,
    Refusal,
    normalise,
    say_which,
    unknown_message,
    usage,
)
from conversation.outcomes import Answer, Outcome
from conversation.receipts import repeat_key, replay_key
from models.errors import SeveralInspections, UsageError
from models.tables import Source

if TYPE_CHECKING:
    from conversation.ops.context import Deps

Handler = Callable[["Deps", Command, str], Outcome]
HANDLERS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    def deco(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn

    return deco


def answer(
    deps: Deps,
    text: str,
    *,
    actor: str,
    channel: str | None = None,
    trigger: str | None = None,
    words: Callable[[str, str], str] = lambda name, text: text,
) -> Outcome:
    """Answer one `/ncpi` command, typed on any platform: find its handler (aliases too,
    help when nothing is typed) and run it. `words(name, text)` is the front end's: the text
    of the command `name` with its own syntax (a link, a mention) in the conversation's
    words. Raises NcpiError, with how to write it, for anything the user must fix."""
    text = normalise(text) or "help"
    name, _, rest = text.partition(" ")
    name = ALIASES.get(name.lower(), name.lower())
    handler = HANDLERS.get(name)
    today = deps.clock.today()
    if handler is None:
        raise UsageError(unknown_message(name, today))
    said = words(name, text)
    try:
        return handler(deps, Command(said, actor, channel, trigger), said.partition(" ")[2].strip())
    except Refusal as e:
        raise UsageError(f"{e.message} Write it as {usage(e.name, today)}.") from None
    except SeveralInspections as e:
        raise UsageError(say_which(e, name, rest.strip())) from None


def change(deps: Deps, cmd: Command, op: str, **args: object) -> Answer:
    """Run the change a command asks for: a repeat of the same words by the same person, or
    the platform replaying the same request, gets the first answer back."""
    return run.execute(
        deps,
        actor=cmd.actor,
        op=op,
        args=args,
        source=Source.COMMAND,
        repeat=repeat_key("cmd", cmd.actor, " ".join(cmd.text.lower().split())),
        replay=replay_key("req", cmd.trigger),
    )


from conversation.commands import (  # noqa: E402,F401  (importing them fills HANDLERS)
    changing,
    edits,
    meetings,
    reading,
    writing,
)
from conversation.grammar import USAGE  # noqa: E402

assert set(HANDLERS) == set(USAGE)
