"""A lead's corrections: withdraw and reinstate an action, rename it, edit a
recommendation's title or text."""

from __future__ import annotations

from conversation.ops.context import Ctx, op
from conversation.ops.telling import tell_owner
from conversation.outcomes import Done
from conversation.said import Code, Person, Strong, said
from conversation.wording import clip, quoted, row
from models import service


@op("withdraw")
def withdraw(c: Ctx, *, ref: str, reason: str | None) -> Done:
    action, _ = service.withdraw_action(
        c.session,
        ref=ref,
        reason=reason,
        **c.change,
    )
    v = c.view(action)
    why = quoted(clip(reason or "", 600))
    text = said(
        Person(c.actor),
        " withdrew ",
        Strong(v.typed_ref),
        f" {v.title}: ",
        why,
        ". It is off your list and you will not be reminded about it.",
    )
    return Done(
        "withdraw",
        v.typed_ref,
        ("withdrawn",),
        c.when(),
        then=said(": ", why),
        detail=(
            "It stays in the history; ",
            Code(f"/ncpi reinstate {v.typed_ref}"),
            " brings it back.",
        ),
        tells=tell_owner(c, v, text, "withdrawn", action.id),
    )


@op("reinstate")
def reinstate(c: Ctx, *, ref: str, note: str | None = None) -> Done:
    action = service.reinstate_action(
        c.session,
        ref=ref,
        note=note,
        **c.change,
    )
    v = c.view(action)
    text = (
        Person(c.actor),
        " reinstated ",
        Strong(v.typed_ref),
        f" {v.title}: it is back on your list, {v.status_label}.",
    )
    return Done(
        "reinstate",
        v.typed_ref,
        (f"reinstated ({v.status_label})",),
        c.when(),
        detail=row(v, today=c.today),
        tells=tell_owner(c, v, text, "reinstated", action.id),
    )


@op("rename")
def rename(c: Ctx, *, ref: str, title: str) -> Done:
    action, before = service.rename_action(
        c.session,
        ref=ref,
        title=title,
        **c.change,
    )
    v = c.view(action)
    return Done(
        "rename",
        v.typed_ref,
        ("renamed",),
        c.when(),
        detail=(f"Was: {clip(before, 300)}\nNow: {v.title}",),
    )


@op("edit_rec")
def edit_rec(c: Ctx, *, rec: str, part: str, value: str) -> Done:
    r = service.edit_recommendation(
        c.session,
        rec=rec,
        part=part,
        value=value,
        **c.change,
    )
    now_reads = clip(r.title if part == "title" else r.text, 2500)
    return Done(
        "edit_rec",
        r.ref,
        (f"{part} changed",),
        c.when(),
        detail=(f"Now: {now_reads}\nEarlier versions: ", Code(f"/ncpi history {r.ref}")),
    )
