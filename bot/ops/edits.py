"""A lead's corrections: withdraw and reinstate an action, rename it, edit a
recommendation's title or text."""

from __future__ import annotations

from bot.ops.context import Ctx, op
from bot.ops.telling import tell_owner
from bot.reply import Reply
from bot.views.actions import row_text
from bot.views.common import clip, escape, mention
from bot.views.tracker import done_blocks
from models import service


@op("withdraw")
def withdraw(c: Ctx, *, ref: str, reason: str | None) -> Reply:
    action, _ = service.withdraw_action(
        c.session,
        ref=ref,
        actor=c.actor,
        reason=reason,
        source=c.source,
        now=c.now,
        confirmed=c.confirmed,
    )
    v = c.view(action)
    why = escape(clip(reason or "", 600))
    text = (
        f"{mention(c.actor)} withdrew *{v.typed_ref}* {escape(v.title)}: “{why}”. "
        "It is off your list and you will not be reminded about it."
    )
    return Reply(
        text=f"{v.typed_ref} — withdrawn, recorded {c.when()} by you",
        blocks=done_blocks(
            f"✔︎ *{v.typed_ref}* — withdrawn, recorded {c.when()} by you: “{why}”.",
            detail=f"It stays in the history; `/ncpi reinstate {v.typed_ref}` brings it back.",
        ),
        notices=tell_owner(c, v, text, "withdrawn", action.id),
    )


@op("reinstate")
def reinstate(c: Ctx, *, ref: str, note: str | None = None) -> Reply:
    action = service.reinstate_action(
        c.session,
        ref=ref,
        actor=c.actor,
        note=note,
        source=c.source,
        now=c.now,
        confirmed=c.confirmed,
    )
    v = c.view(action)
    text = (
        f"{mention(c.actor)} reinstated *{v.typed_ref}* {escape(v.title)}: it is back on your "
        f"list, {v.status_label}."
    )
    return Reply(
        text=f"{v.typed_ref} — reinstated ({v.status_label}), recorded {c.when()} by you",
        blocks=done_blocks(
            f"✔︎ *{v.typed_ref}* — reinstated ({v.status_label}), recorded {c.when()} by you.",
            detail=row_text(v, today=c.today),
        ),
        notices=tell_owner(c, v, text, "reinstated", action.id),
    )


@op("rename")
def rename(c: Ctx, *, ref: str, title: str) -> Reply:
    action, before = service.rename_action(
        c.session,
        ref=ref,
        title=title,
        actor=c.actor,
        source=c.source,
        now=c.now,
        confirmed=c.confirmed,
    )
    v = c.view(action)
    return Reply(
        text=f"{v.typed_ref} — renamed, recorded {c.when()} by you",
        blocks=done_blocks(
            f"✔︎ *{v.typed_ref}* — renamed, recorded {c.when()} by you.",
            detail=f"Was: {escape(clip(before, 300))}\nNow: {escape(v.title)}",
        ),
    )


@op("edit_rec")
def edit_rec(c: Ctx, *, rec: str, part: str, value: str) -> Reply:
    r = service.edit_recommendation(
        c.session,
        rec=rec,
        part=part,
        value=value,
        actor=c.actor,
        source=c.source,
        now=c.now,
        confirmed=c.confirmed,
    )
    shown = r.ref
    return Reply(
        text=f"{shown} — {part} changed, recorded {c.when()} by you",
        blocks=done_blocks(
            f"✔︎ *{shown}* — {part} changed, recorded {c.when()} by you.",
            detail=(
                f"Now: {escape(clip(r.title if part == 'title' else r.text, 2500))}\n"
                f"Earlier versions: `/ncpi history {shown}`"
            ),
        ),
    )
