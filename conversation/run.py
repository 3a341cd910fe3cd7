"""Every change a front end makes, each one transaction, each answering an outcome.

Commands, buttons, forms and thread replies all call `execute(deps, op=..., args=...)`:
it opens one write transaction, runs the operation (models.service does the work and the
permission checks), and returns what it did (`Done`, with whom to tell once it has
committed). A note the guardrail holds back comes back as `Held`, the change itself;
nothing is written until its author confirms (`confirmed=True`).

Repeats: with a `repeat` key (who asked for what) or a `replay` key (the platform's ids for
the request), a double submit or a replay gets the first answer back, and a change is never
swallowed (conversation/receipts.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

import conversation.ops  # noqa: F401  (importing the operations fills OPS)
from conversation.ops.context import OPS, Ctx
from conversation.outcomes import Answer, Held
from conversation.receipts import Receipts
from models.errors import NeedsConfirmation
from models.tables import Source

if TYPE_CHECKING:
    from conversation.ops.context import Deps

__all__ = ["OPS", "execute"]


def execute(
    deps: Deps,
    *,
    actor: str,
    op: str,
    args: dict,
    source: Source,
    confirmed: bool = False,
    repeat: str | None = None,
    replay: str | None = None,
) -> Answer:
    """Run one change in one transaction. NcpiError propagates (nothing changed); a held
    note becomes `Held`, with what confirming it adds to its arguments. `source` is the
    caller's to say, always: a confirmed change is recorded as coming from where it was
    confirmed."""
    if op not in OPS:
        raise ValueError(f"unknown operation {op!r}")
    now = deps.clock.now()
    receipts: Receipts | None = None
    try:
        with deps.db.write() as session:
            c = Ctx(deps, session, actor, now, deps.clock.today(), Source(source), confirmed)
            if repeat or replay:
                receipts = Receipts(session, actor, now, repeat=repeat, replay=replay)
                earlier = receipts.earlier()
                if earlier is not None:
                    return earlier
                receipts.claim()
            done = OPS[op](c, **args)
            if receipts is not None:
                receipts.keep(done)
            return done
    except IntegrityError:
        if receipts is None:
            raise
        with deps.db.read() as session:
            first = receipts.first_answer(session)
        if first is None:
            raise
        return first
    except NeedsConfirmation as e:
        # confirming it adds what says so (past_ok)
        return Held(e.message, e.subject, op, {**args, **e.confirm_with})
