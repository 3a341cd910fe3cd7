"""Operations on the panel's business: sign-off and reopening of a recommendation, panel
meetings, milestones."""

from __future__ import annotations

from datetime import date, datetime

from bot.ops.context import Ctx, op
from bot.reply import Reply
from bot.views.common import escape, local_time, long_day
from bot.views.tracker import done_blocks
from models import service


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
        text=f"{r.ref} signed off",
        blocks=done_blocks(
            f"✔︎ *{r.ref}* {escape(r.title)} — signed off, recorded {c.when()} by you."
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
        text=f"{r.ref} reopened",
        blocks=done_blocks(
            f"✔︎ *{r.ref}* {escape(r.title)} — outstanding again, recorded {c.when()} by you."
        ),
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
