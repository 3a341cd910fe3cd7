"""Operations on an action: update, done, verify, return, add, due."""

from __future__ import annotations

from conversation.ops.context import Ctx, op
from conversation.ops.telling import handover, tell_owner
from conversation.outcomes import Done, Tell
from conversation.said import Code, Person, Strong, said
from conversation.wording import quoted, row
from models import service
from models.parsing import parse_date
from models.tables import Status
from models.wording import long_day


@op("update")
def update(
    c: Ctx,
    *,
    ref: str,
    status: str | None = None,
    note: str | None = None,
    evidence: str | None = None,
) -> Done:
    action = service.update_action(
        c.session,
        ref=ref,
        status=Status(status) if status else None,
        note=note,
        evidence=evidence,
        **c.change,
    )
    v = c.view(action)
    what = v.status_label if status else f"note added, status unchanged ({v.status_label})"
    if status and note:
        what += ", note added"
    if evidence:
        what += ", evidence added"
    return Done("update", v.typed_ref, (what,), c.when(), detail=row(v, today=c.today))


@op("done")
def done(c: Ctx, *, ref: str, evidence: str | None) -> Done:
    action = service.mark_implemented(
        c.session,
        ref=ref,
        evidence=evidence,
        **c.change,
    )
    v = c.view(action)
    text = (
        Person(c.actor),
        " marked ",
        Strong(v.typed_ref),
        f" {v.title} implemented: it is waiting for a lead to verify it (or return it with "
        "a reason). ",
        Code(f"/ncpi show {v.typed_ref}"),
    )
    detail = row(v, today=c.today)
    return Done(
        "done",
        v.typed_ref,
        ("implemented",),
        c.when(),
        short=(f"{v.typed_ref} — implemented, recorded {c.when()} by you; a lead will verify it",),
        detail=("A lead checks the evidence and verifies it (or returns it with a reason).",),
        tells=[
            Tell(to, "awaiting_verification", [action.id], text, detail=detail)
            for to in _leads_to_tell(c)
        ],
    )


def _leads_to_tell(c: Ctx) -> list[str]:
    """Where leads hear of something waiting for them: the digest channel once, or else
    each lead (not away, not the one who did it) by DM."""
    heard = service.leads_to_tell(
        c.session, digest_channel=c.deps.settings.digest_channel, today=c.today
    )
    return [u for u in heard if u != c.actor]


@op("verify")
def verify(c: Ctx, *, ref: str, note: str | None = None) -> Done:
    action = service.verify_action(
        c.session,
        ref=ref,
        note=note,
        **c.change,
    )
    v = c.view(action)
    text = (
        Person(c.actor),
        " verified ",
        Strong(v.typed_ref),
        f" {v.title}: it is done. Thank you.",
    )
    return Done(
        "verify",
        v.typed_ref,
        ("verified",),
        c.when(),
        tells=tell_owner(c, v, text, "verified", action.id, detail=False),
    )


@op("return")
def return_(c: Ctx, *, ref: str, reason: str | None) -> Done:
    action = service.return_action(
        c.session,
        ref=ref,
        reason=reason or "",
        **c.change,
    )
    v = c.view(action)
    text = said(
        Person(c.actor),
        " returned ",
        Strong(v.typed_ref),
        " to you: ",
        quoted(reason),
        ". It is back on track; mark it implemented again when the evidence covers this.",
    )
    return Done(
        "return",
        v.typed_ref,
        ("returned to ", Person(v.owner)),
        c.when(),
        short=(f"{v.typed_ref} — returned, recorded {c.when()} by you",),
        tells=tell_owner(c, v, text, "returned", action.id),
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
) -> Done:
    action = service.add_action(
        c.session,
        rec=rec,
        title=title,
        owner=owner,
        due=parse_date(due, today=c.today) if due else None,
        today=c.today,
        past_ok=past_ok,
        **c.change,
    )
    v = c.view(action)
    tells = []
    if owner and owner != c.actor:
        tells.append(handover(v, lead=c.actor, note=None, action_id=action.id))
    return Done(
        "add",
        v.typed_ref,
        ("added",),
        said=("Added ", Strong(v.typed_ref), f" {v.title}"),
        short=(f"Added {v.typed_ref}",),
        detail=row(v, today=c.today),
        tells=tells,
    )


@op("due")
def due(c: Ctx, *, ref: str, due: str, reason: str | None = None, past_ok: bool = False) -> Done:
    before = service.get_action(c.session, ref=ref).due
    day = parse_date(due, today=c.today)
    action = service.set_due(
        c.session,
        ref=ref,
        due=day,
        reason=reason,
        today=c.today,
        past_ok=past_ok,
        **c.change,
    )
    v = c.view(action)
    text = said(
        Person(c.actor),
        " changed the due date of ",
        Strong(v.typed_ref),
        " to ",
        Strong(long_day(day)),
        f" (was {long_day(before)})" if before else None,
        ".",
        (" ", *quoted(reason)) if reason else None,
    )
    return Done(
        "due",
        v.typed_ref,
        (f"due {long_day(day)}",),
        c.when(),
        tells=tell_owner(c, v, text, "due_changed", action.id),
    )
