"""Operations on the panel's business: sign-off and reopening of a recommendation, panel
meetings, milestones."""

from __future__ import annotations

from datetime import date, datetime

from conversation.ops.context import Ctx, op
from conversation.outcomes import Done
from conversation.said import Strong
from models import service
from models.wording import local_time, long_day


@op("signoff")
def signoff(c: Ctx, *, rec: str, note: str | None = None) -> Done:
    r = service.sign_off(
        c.session,
        rec=rec,
        note=note,
        today=c.today,
        **c.change,
    )
    return Done(
        "signoff", r.ref, ("signed off",), c.when(), title=r.title, short=(f"{r.ref} signed off",)
    )


@op("reopen")
def reopen(c: Ctx, *, rec: str, note: str | None = None) -> Done:
    r = service.reopen(
        c.session,
        rec=rec,
        note=note,
        **c.change,
    )
    return Done(
        "reopen",
        r.ref,
        ("outstanding again",),
        c.when(),
        title=r.title,
        short=(f"{r.ref} reopened",),
    )


@op("panel_add")
def panel_add(
    c: Ctx,
    *,
    day: str,
    at: str | None = None,
    paper_ref: str | None = None,
    inspection: str | None = None,
) -> Done:
    meeting = service.add_panel(
        c.session,
        day=date.fromisoformat(day),
        at=datetime.strptime(at, "%H:%M").time() if at else None,
        paper_ref=paper_ref,
        tz=c.tz,
        today=c.today,
        inspection=inspection,
        **c.by,
    )
    ref = f" ({meeting.paper_ref})" if meeting.paper_ref else ""
    return Done(
        "panel_add",
        "Panel meeting",
        ("added",),
        said=(
            "Panel meeting on ",
            Strong(long_day(meeting.day)),
            f" at {local_time(meeting.starts_at, c.tz)}{ref} added.",
        ),
        short=(f"Panel meeting added: {long_day(meeting.day)}",),
        detail=("Owners will be chased ahead of it.",),
    )


@op("milestone_move")
def milestone_move(c: Ctx, *, kind: str, day: str, reason: str | None = None) -> Done:
    m = service.move_milestone(
        c.session,
        kind=kind,
        day=date.fromisoformat(day),
        reason=reason,
        **c.change,
    )
    return Done(
        "milestone_move",
        m.label,
        ("now ", Strong(long_day(m.day))),
        c.when(),
        short=(f"{m.label} moved to {long_day(m.day)}",),
        detail=("Leads are reminded before the new date.",),
    )


@op("panel_remove")
def panel_remove(c: Ctx, *, day: str, inspection: str | None = None) -> Done:
    meeting = service.remove_panel(
        c.session,
        day=date.fromisoformat(day),
        inspection=inspection,
        **c.by,
    )
    return Done(
        "panel_remove",
        "Panel meeting",
        ("cancelled",),
        said=(
            "Panel meeting on ",
            Strong(long_day(meeting.day)),
            " cancelled (kept in the history).",
        ),
        short=(f"Panel meeting on {long_day(meeting.day)} cancelled",),
    )
