"""Operations on an action: update, done, verify, return, add, due."""

from __future__ import annotations

from bot.ops.context import Ctx, op
from bot.ops.telling import tell_owner
from bot.reply import Notice, Reply
from bot.views.actions import row_text
from bot.views.common import escape, long_day, mention
from bot.views.notices import handover_blocks, handover_text, simple
from bot.views.tracker import done_blocks
from models import service
from models.parsing import parse_date
from models.tables import Status


@op("update")
def update(
    c: Ctx,
    *,
    ref: str,
    status: str | None = None,
    note: str | None = None,
    evidence: str | None = None,
) -> Reply:
    action = service.update_action(
        c.session,
        ref=ref,
        actor=c.actor,
        status=Status(status) if status else None,
        note=note,
        evidence=evidence,
        source=c.source,
        now=c.now,
        confirmed=c.confirmed,
    )
    v = c.view(action)
    what = v.status_label if status else f"note added, status unchanged ({v.status_label})"
    if status and note:
        what += ", note added"
    if evidence:
        what += ", evidence added"
    return Reply(
        text=f"{v.typed_ref} — {what}, recorded {c.when()} by you",
        blocks=done_blocks(
            f"✔︎ *{v.typed_ref}* — {what}, recorded {c.when()} by you",
            detail=row_text(v, today=c.today),
        ),
        notices=[],
    )


@op("done")
def done(c: Ctx, *, ref: str, evidence: str | None) -> Reply:
    action = service.mark_implemented(
        c.session,
        ref=ref,
        actor=c.actor,
        evidence=evidence,
        source=c.source,
        now=c.now,
        confirmed=c.confirmed,
    )
    v = c.view(action)
    text = (
        f"{mention(c.actor)} marked *{v.typed_ref}* {escape(v.title)} implemented: it is waiting "
        f"for a lead to verify it (or return it with a reason). `/ncpi show {v.typed_ref}`"
    )
    blocks = simple(text, detail=row_text(v, today=c.today))
    return Reply(
        text=f"{v.typed_ref} — implemented, recorded {c.when()} by you; a lead will verify it",
        notices=[
            Notice(to, text, blocks, "awaiting_verification", [action.id])
            for to in _leads_to_tell(c)
        ],
        blocks=done_blocks(
            f"✔︎ *{v.typed_ref}* — implemented, recorded {c.when()} by you.",
            detail="A lead checks the evidence and verifies it (or returns it with a reason).",
        ),
    )


def _leads_to_tell(c: Ctx) -> list[str]:
    """Where leads hear of something waiting for them: the digest channel once, or else
    each lead (not away, not the one who did it) by DM."""
    heard = service.leads_to_tell(
        c.session, digest_channel=c.deps.settings.digest_channel, today=c.today
    )
    return [u for u in heard if u != c.actor]


@op("verify")
def verify(c: Ctx, *, ref: str, note: str | None = None) -> Reply:
    action = service.verify_action(
        c.session,
        ref=ref,
        actor=c.actor,
        note=note,
        source=c.source,
        now=c.now,
        confirmed=c.confirmed,
    )
    v = c.view(action)
    text = f"{mention(c.actor)} verified *{v.typed_ref}* {escape(v.title)}: it is done. Thank you."
    return Reply(
        text=f"{v.typed_ref} — verified, recorded {c.when()} by you",
        blocks=done_blocks(f"✔︎ *{v.typed_ref}* — verified, recorded {c.when()} by you."),
        notices=tell_owner(c, v, text, "verified", action.id, detail=False),
    )


@op("return")
def return_(c: Ctx, *, ref: str, reason: str | None) -> Reply:
    action = service.return_action(
        c.session,
        ref=ref,
        actor=c.actor,
        reason=reason or "",
        source=c.source,
        now=c.now,
        confirmed=c.confirmed,
    )
    v = c.view(action)
    text = (
        f"{mention(c.actor)} returned *{v.typed_ref}* to you: “{escape(reason)}”. "
        "It is back on track; mark it implemented again when the evidence covers this."
    )
    return Reply(
        text=f"{v.typed_ref} — returned, recorded {c.when()} by you",
        blocks=done_blocks(
            f"✔︎ *{v.typed_ref}* — returned to {mention(v.owner)}, recorded {c.when()} by you."
        ),
        notices=tell_owner(c, v, text, "returned", action.id),
    )


@op("add")
def add(
    c: Ctx,
    *,
    rec: str,
    title: str,
    owner: str | None = None,
    due: str | None = None,
    past_ok: bool = False,
) -> Reply:
    action = service.add_action(
        c.session,
        rec=rec,
        title=title,
        owner=owner,
        due=parse_date(due, today=c.today) if due else None,
        actor=c.actor,
        source=c.source,
        now=c.now,
        confirmed=c.confirmed,
        today=c.today,
        past_ok=past_ok,
    )
    v = c.view(action)
    notices = []
    if owner and owner != c.actor:
        notices.append(
            Notice(
                owner,
                handover_text(v, lead=c.actor),
                handover_blocks(v, lead=c.actor, note=None),
                "handover",
                [action.id],
            )
        )
    return Reply(
        text=f"Added {v.typed_ref}",
        blocks=done_blocks(
            f"✔︎ Added *{v.typed_ref}* {escape(v.title)}", detail=row_text(v, today=c.today)
        ),
        notices=notices,
    )


@op("due")
def due(c: Ctx, *, ref: str, due: str, reason: str | None = None, past_ok: bool = False) -> Reply:
    before = service.get_action(c.session, ref=ref).due
    day = parse_date(due, today=c.today)
    action = service.set_due(
        c.session,
        ref=ref,
        due=day,
        actor=c.actor,
        reason=reason,
        source=c.source,
        now=c.now,
        confirmed=c.confirmed,
        today=c.today,
        past_ok=past_ok,
    )
    v = c.view(action)
    was = f" (was {long_day(before)})" if before else ""
    text = f"{mention(c.actor)} changed the due date of *{v.typed_ref}* to *{long_day(day)}*{was}."
    if reason:
        text += f" “{escape(reason)}”"
    return Reply(
        text=f"{v.typed_ref} — due {long_day(day)}, recorded {c.when()} by you",
        blocks=done_blocks(f"✔︎ *{v.typed_ref}* — due {long_day(day)}, recorded {c.when()} by you."),
        notices=tell_owner(c, v, text, "due_changed", action.id),
    )
