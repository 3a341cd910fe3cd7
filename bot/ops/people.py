"""Operations about people: handovers (accept, decline, assign) and who is away (away,
back, snooze)."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from bot.ops.context import Ctx, op
from bot.reply import Notice, Reply
from bot.views.common import escape, long_day, mention
from bot.views.notices import handover_blocks, handover_text, simple
from bot.views.tracker import done_blocks
from models import service
from models.calendar import next_working_day
from models.people import is_user_id
from models.tables import Update


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
    if handed_by and handed_by != c.actor and is_user_id(handed_by):
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
