"""The Slack front end's call into the conversation: run one change
(`conversation.run.execute`) and render its outcome as a Reply (bot/render.py), with the
DMs to send after commit. A change the guardrail holds is encoded here, into the confirm
button's value or a form's metadata, with the thread message to mark once it is saved and
the form it came from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot import pending, render
from bot.reply import Reply
from bot.values import Origin
from conversation import run
from models.tables import Source

if TYPE_CHECKING:
    from bot.deps import Deps

__all__ = ["apply_held", "execute"]


def execute(
    deps: Deps,
    *,
    hold_limit: int = pending.MAX_BUTTON_VALUE,
    react: tuple[str, str] | None = None,
    origin: Origin | None = None,
    **change: Any,
) -> Reply:
    """Run one change (`change`: `run.execute`'s own arguments, `actor`, `op`, `args`,
    `source` and the rest) and answer it as Slack shows it. NcpiError propagates (nothing
    changed); a held note becomes a confirm/rewrite Reply whose `held` is None when the
    change does not fit under `hold_limit`."""
    answer = run.execute(deps, **change)
    return render.reply(answer, react=react, origin=origin, hold_limit=hold_limit)


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
