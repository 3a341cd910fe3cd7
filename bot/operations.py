"""Every change the Slack front ends make, each one transaction, each answering a Reply.

Commands, buttons, modals and thread replies all call `execute(deps, op=..., args=...)`:
it opens one write transaction, runs the operation (models.service does the work and the
permission checks), and returns the Reply with the DMs to send after commit. A note the
guardrail holds back comes back as a confirm/rewrite prompt carrying the change itself;
nothing is written until its author confirms (`confirmed=True`).

Repeats: with a `repeat` key (who asked for what) or a `replay` key (Slack's ids for the
request), a double submit or a replay gets the first answer back, and a change is never
swallowed (bot/receipts.py).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

import bot.ops  # noqa: F401  (importing the operations fills OPS)
from bot import pending
from bot.ops.context import OPS, Ctx, op
from bot.receipts import Receipts
from bot.reply import Reply
from bot.values import Origin
from bot.views.notices import guardrail_blocks
from models.errors import NeedsConfirmation
from models.tables import Source

if TYPE_CHECKING:
    from bot.deps import Deps

__all__ = ["OPS", "Ctx", "apply_held", "execute", "op"]

log = logging.getLogger(__name__)


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
    hold_limit: int = pending.MAX_BUTTON_VALUE,
    react: tuple[str, str] | None = None,
    origin: Origin | None = None,
) -> Reply:
    """Run one change in one transaction. NcpiError propagates (nothing changed); a held
    note becomes a confirm/rewrite Reply. The thread message to `react` to once it is saved
    and the `origin` of a form travel with the held change, encoded once under
    `hold_limit`: `held` is None when it cannot. `source` is the caller's to say, always:
    a confirmed change is recorded as coming from where it was confirmed."""
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
            reply = OPS[op](c, **args)
            if receipts is not None:
                receipts.keep(reply)
            return reply
    except IntegrityError:
        if receipts is None:
            raise
        with deps.db.read() as session:
            first = receipts.first_answer(session)
        if first is None:
            raise
        return first
    except NeedsConfirmation as e:
        held_args = {**args, **e.confirm_with}  # confirming it adds what says so (past_ok)
        held = pending.encode(
            pending.Held(op, held_args, react=react, origin=origin), limit=hold_limit
        )
        return Reply(
            text=e.message,
            blocks=guardrail_blocks(e.message, held, subject=e.subject),
            held=held,
            guarded=True,
            held_subject=e.subject,
        )


def apply_held(
    deps: Deps,
    *,
    actor: str,
    held: pending.Held,
    source: Source,
    repeat: str | None = None,
    replay: str | None = None,
) -> Reply:
    """The author confirmed a held note: run the change it carries, as them, confirmed."""
    return execute(
        deps,
        actor=actor,
        op=held.op,
        args=held.args,
        source=source,
        confirmed=True,
        repeat=repeat,
        replay=replay,
    )
