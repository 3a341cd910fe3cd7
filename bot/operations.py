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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot import pending
from bot.receipts import Receipts
from bot.reply import Notice, Reply
from bot.views.actions import row_text
from bot.views.common import USER_ID, escape, local_time, long_day, mention
from bot.views.notices import guardrail_blocks, handover_blocks, handover_text, simple
from bot.views.tracker import done_blocks
from models import service
from models.calendar import next_working_day
from models.errors import NeedsConfirmation
from models.parsing import parse_date
from models.service import ActionView
from models.tables import Action, Source, Status, Update

if TYPE_CHECKING:
    from bot.deps import Deps

log = logging.getLogger(__name__)


@dataclass
class Ctx:
    deps: Deps
    session: Session
    actor: str
    now: datetime
    today: date
    source: Source
    confirmed: bool = False

    @property
    def tz(self) -> ZoneInfo:
        return self.deps.settings.tz

    def view(self, action: Action) -> ActionView:
        return service.action_views(self.session, actions=[action], today=self.today)[0]

    def when(self) -> str:
        return local_time(self.now, self.tz)


Op = Callable[..., Reply]
OPS: dict[str, Op] = {}


def op(name: str) -> Callable[[Op], Op]:
    def deco(fn: Op) -> Op:
        OPS[name] = fn
        return fn

    return deco


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
    hold_extra: dict | None = None,
) -> Reply:
    """Run one change in one transaction. NcpiError propagates (nothing changed); a held
    note becomes a confirm/rewrite Reply. `hold_extra` (where the form came from) travels
    with the held change, encoded once under `hold_limit`: `held` is None when it cannot."""
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
        data = {"op": op, "args": held_args, "src": str(source), **(hold_extra or {})}
        held = pending.encode(data, limit=hold_limit)
        return Reply(
            text=e.message,
            blocks=guardrail_blocks(e.message, held, subject=e.subject),
            held=held,
            guarded=True,
            held_subject=e.subject,
        )


def apply_held(
    deps: Deps, *, actor: str, held: str, repeat: str | None = None, replay: str | None = None
) -> Reply:
    """The author confirmed a held note: run the change it carries, as them, confirmed."""
    data = pending.decode(held)
    return execute(
        deps,
        actor=actor,
        op=data["op"],
        args=data["args"],
        source=data["src"],
        confirmed=True,
        repeat=repeat,
        replay=replay,
    )


# -- actions ----------------------------------------------------------------------------------


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
    if c.deps.settings.digest_channel:
        return [c.deps.settings.digest_channel]
    return [u for u in service.lead_ids(c.session, today=c.today) if u != c.actor]


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
    notices = []
    if v.owner and v.owner != c.actor:
        text = (
            f"{mention(c.actor)} verified *{v.typed_ref}* {escape(v.title)}: it is done. Thank you."
        )
        notices.append(Notice(v.owner, text, simple(text), "verified", [action.id]))
    return Reply(
        text=f"{v.typed_ref} — verified, recorded {c.when()} by you",
        blocks=done_blocks(f"✔︎ *{v.typed_ref}* — verified, recorded {c.when()} by you."),
        notices=notices,
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
    notices = []
    if v.owner and v.owner != c.actor:
        text = (
            f"{mention(c.actor)} returned *{v.typed_ref}* to you: “{escape(reason)}”. "
            "It is back on track; mark it implemented again when the evidence covers this."
        )
        notices.append(
            Notice(
                v.owner,
                text,
                simple(text, detail=row_text(v, today=c.today, show_owner=False)),
                "returned",
                [action.id],
            )
        )
    return Reply(
        text=f"{v.typed_ref} — returned, recorded {c.when()} by you",
        blocks=done_blocks(
            f"✔︎ *{v.typed_ref}* — returned to {mention(v.owner)}, recorded {c.when()} by you."
        ),
        notices=notices,
    )


@op("accept")
def accept(c: Ctx, *, ref: str) -> Reply:
    action = service.accept_handover(c.session, ref=ref, actor=c.actor, source=c.source, now=c.now)
    v = c.view(action)
    return Reply(
        text=f"{v.typed_ref} — accepted, recorded {c.when()} by you",
        blocks=done_blocks(
            f"✔︎ *{v.typed_ref}* — accepted, recorded {c.when()} by you. It is yours now."
        ),
    )


@op("decline")
def decline(c: Ctx, *, ref: str, reason: str | None) -> Reply:
    action = service.get_action(c.session, ref=ref)
    last = c.session.exec(
        select(Update)
        .where(Update.action_id == action.id, Update.field == "owner")
        .order_by(col(Update.id).desc())
    ).first()
    handed_by = last.actor if last else None
    h = service.decline_handover(
        c.session,
        ref=ref,
        actor=c.actor,
        reason=reason or "",
        source=c.source,
        now=c.now,
        confirmed=c.confirmed,
    )
    notices = []
    if handed_by and handed_by != c.actor and USER_ID.match(handed_by):
        back = f"It is back with {mention(h.new_owner)}." if h.new_owner else "It has no owner now."
        text = f"{mention(c.actor)} declined *{h.ref}*: “{escape(reason)}”. {back}"
        notices.append(Notice(handed_by, text, simple(text), "declined", [action.id]))
    if h.new_owner and h.new_owner not in (c.actor, handed_by):
        # They were told it was off their list when it was offered: it is back on it.
        text = (
            f"{mention(c.actor)} declined *{h.ref}* {escape(action.title)}, so it is back on "
            f"your list: “{escape(reason)}”."
        )
        notices.append(Notice(h.new_owner, text, simple(text), "declined", [action.id]))
    return Reply(
        text=f"{h.ref} — declined, recorded {c.when()} by you",
        blocks=done_blocks(
            f"✔︎ *{h.ref}* — declined, recorded {c.when()} by you. The lead has been told."
        ),
        notices=notices,
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


@op("assign")
def assign(c: Ctx, *, ref: str, owner: str, note: str | None = None) -> Reply:
    h = service.assign_action(
        c.session,
        ref=ref,
        owner=owner,
        actor=c.actor,
        note=note,
        source=c.source,
        now=c.now,
        confirmed=c.confirmed,
    )
    v = c.view(h.action)
    notices = []
    if owner != c.actor:
        notices.append(
            Notice(
                owner,
                handover_text(v, lead=c.actor),
                handover_blocks(v, lead=c.actor, note=note),
                "handover",
                [h.action.id],
            )
        )
    if h.previous_owner and h.previous_owner not in (c.actor, owner):
        text = f"{mention(c.actor)} has handed *{v.typed_ref}* {escape(v.title)} to {mention(owner)}. It is off your list once they accept it; if they decline, it comes back to you."
        notices.append(Notice(h.previous_owner, text, simple(text), "owner_changed", [h.action.id]))
    return Reply(
        text=f"{v.typed_ref} — offered to {mention(owner)}, recorded {c.when()} by you",
        blocks=done_blocks(
            f"✔︎ *{v.typed_ref}* — offered to {mention(owner)}, recorded {c.when()} by you.",
            detail="They have a DM to accept or decline it.",
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
    notices = []
    if v.owner and v.owner != c.actor:
        was = f" (was {long_day(before)})" if before else ""
        text = (
            f"{mention(c.actor)} changed the due date of *{v.typed_ref}* to *{long_day(day)}*{was}."
        )
        if reason:
            text += f" “{escape(reason)}”"
        notices.append(
            Notice(
                v.owner,
                text,
                simple(text, detail=row_text(v, today=c.today, show_owner=False)),
                "due_changed",
                [action.id],
            )
        )
    return Reply(
        text=f"{v.typed_ref} — due {long_day(day)}, recorded {c.when()} by you",
        blocks=done_blocks(f"✔︎ *{v.typed_ref}* — due {long_day(day)}, recorded {c.when()} by you."),
        notices=notices,
    )


# -- recommendations, people, panels -------------------------------------------------------------


@op("signoff")
def signoff(c: Ctx, *, rec: str, note: str | None = None) -> Reply:
    r = service.sign_off(
        c.session,
        rec=rec,
        actor=c.actor,
        note=note,
        source=c.source,
        now=c.now,
        today=c.today,
        confirmed=c.confirmed,
    )
    return Reply(
        text=f"R{r.number} signed off",
        blocks=done_blocks(
            f"✔︎ *R{r.number}* {escape(r.title)} — signed off, recorded {c.when()} by you."
        ),
    )


@op("reopen")
def reopen(c: Ctx, *, rec: str, note: str | None = None) -> Reply:
    r = service.reopen(
        c.session,
        rec=rec,
        actor=c.actor,
        note=note,
        source=c.source,
        now=c.now,
        confirmed=c.confirmed,
    )
    return Reply(
        text=f"R{r.number} reopened",
        blocks=done_blocks(
            f"✔︎ *R{r.number}* {escape(r.title)} — outstanding again, recorded {c.when()} by you."
        ),
    )


@op("away")
def away(c: Ctx, *, until: str) -> Reply:
    day = date.fromisoformat(until)
    service.set_away(c.session, actor=c.actor, until=day, today=c.today, now=c.now, source=c.source)
    return Reply(
        text=f"Away until {long_day(day)}",
        blocks=done_blocks(
            f"✔︎ Reminders paused until *{long_day(day)}*. Leads can see you are away.",
            detail="Back early? `/ncpi back`",
        ),
    )


@op("back")
def back(c: Ctx) -> Reply:
    service.set_back(c.session, actor=c.actor, now=c.now, source=c.source)
    return Reply(text="Welcome back", blocks=done_blocks("✔︎ Welcome back: reminders are on again."))


@op("snooze")
def snooze(c: Ctx) -> Reply:
    until = next_working_day(c.today)
    service.snooze(c.session, actor=c.actor, until=until, today=c.today, now=c.now, source=c.source)
    return Reply(
        text=f"I'll remind you on {long_day(until)}",
        blocks=done_blocks(f"✔︎ I'll remind you again on *{long_day(until)}*, recorded {c.when()}."),
    )


@op("panel_add")
def panel_add(
    c: Ctx,
    *,
    day: str,
    at: str | None = None,
    paper_ref: str | None = None,
    inspection: str | None = None,
) -> Reply:
    meeting = service.add_panel(
        c.session,
        day=date.fromisoformat(day),
        at=datetime.strptime(at, "%H:%M").time() if at else None,
        paper_ref=paper_ref,
        actor=c.actor,
        now=c.now,
        tz=c.tz,
        source=c.source,
        today=c.today,
        inspection=inspection,
    )
    ref = f" ({escape(meeting.paper_ref)})" if meeting.paper_ref else ""
    return Reply(
        text=f"Panel meeting added: {long_day(meeting.day)}",
        blocks=done_blocks(
            f"✔︎ Panel meeting on *{long_day(meeting.day)}* at {local_time(meeting.starts_at, c.tz)}{ref} added.",
            detail="Owners will be chased ahead of it.",
        ),
    )


@op("milestone_move")
def milestone_move(c: Ctx, *, kind: str, day: str, reason: str | None = None) -> Reply:
    m = service.move_milestone(
        c.session,
        kind=kind,
        day=date.fromisoformat(day),
        reason=reason,
        actor=c.actor,
        now=c.now,
        source=c.source,
        confirmed=c.confirmed,
    )
    return Reply(
        text=f"{m.label} moved to {long_day(m.day)}",
        blocks=done_blocks(
            f"✔︎ *{m.label}* — now *{long_day(m.day)}*, recorded {c.when()} by you.",
            detail="Leads are reminded before the new date.",
        ),
    )


@op("panel_remove")
def panel_remove(c: Ctx, *, day: str, inspection: str | None = None) -> Reply:
    meeting = service.remove_panel(
        c.session,
        day=date.fromisoformat(day),
        actor=c.actor,
        now=c.now,
        source=c.source,
        inspection=inspection,
    )
    return Reply(
        text=f"Panel meeting on {long_day(meeting.day)} cancelled",
        blocks=done_blocks(
            f"✔︎ Panel meeting on *{long_day(meeting.day)}* cancelled (kept in the history)."
        ),
    )
