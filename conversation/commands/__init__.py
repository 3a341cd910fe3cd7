"""The `/ncpi` commands no chat platform owns: each handler reads its words with the grammar
(conversation/grammar.py), reads the tracker or runs a change, and answers an outcome (a
`Done` or `Held`, a `Form` to fill in, a `Read`, or a report to draft,
conversation/report.py's `ReportRequest`). A front end dispatches to `HANDLERS` with
the text in the conversation's words (its own syntax, like Slack's links, already read) and
renders what comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from conversation import run
from conversation.grammar import Command
from conversation.outcomes import Answer, Outcome
from conversation.receipts import repeat_key, replay_key
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
