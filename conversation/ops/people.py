"""Operations about people: handovers (accept, decline, assign) and who is away (away,
back, snooze)."""

from __future__ import annotations

from datetime import date

from conversation.ops.context import Ctx, op
from conversation.ops.telling import handover
from conversation.outcomes import Done, Tell
from conversation.said import Code, Person, Strong, said
from conversation.wording import quoted
from models import service
from models.calendar import next_working_day
from models.people import is_user_id
from models.wording import long_day


@op("accept")
def accept(c: Ctx, *, ref: str) -> Done:
    action = service.accept_handover(c.session, ref=ref, **c.by)
    v = c.view(action)
    return Done("accept", v.typed_ref, ("accepted",), c.when(), then=(". It is yours now",))


@op("decline")
def decline(c: Ctx, *, ref: str, reason: str | None) -> Done:
    h = service.decline_handover(
        c.session,
        ref=ref,
        reason=reason or "",
        **c.change,
    )
    action, handed_by = h.action, h.offered_by
    tells = []
    if handed_by and handed_by != c.actor and is_user_id(handed_by):
        back = (
            ("It is back with ", Person(h.new_owner), ".")
            if h.new_owner
            else ("It has no owner now.",)
        )
        text = said(Person(c.actor), " declined ", Strong(h.ref), ": ", quoted(reason), ". ", back)
        tells.append(Tell(handed_by, "declined", [action.id], text))
    if h.new_owner and h.new_owner not in (c.actor, handed_by):
        # They were told it was off their list when it was offered: it is back on it.
        text = said(
            Person(c.actor),
            " declined ",
            Strong(h.ref),
            f" {action.title}, so it is back on your list: ",
            quoted(reason),
            ".",
        )
        tells.append(Tell(h.new_owner, "declined", [action.id], text))
    return Done(
        "decline", h.ref, ("declined",), c.when(), then=(". The lead has been told",), tells=tells
    )


@op("assign")
def assign(c: Ctx, *, ref: str, owner: str, note: str | None = None) -> Done:
    h = service.assign_action(
        c.session,
        ref=ref,
        owner=owner,
        note=note,
        **c.change,
    )
    v = c.view(h.action)
    tells = []
    if owner != c.actor:
        tells.append(handover(v, lead=c.actor, note=note, action_id=h.action.id))
    if h.previous_owner and h.previous_owner not in (c.actor, owner):
        text = (
            Person(c.actor),
            " has handed ",
            Strong(v.typed_ref),
            f" {v.title} to ",
            Person(owner),
            ". It is off your list once they accept it; if they decline, it comes back to you.",
        )
        tells.append(Tell(h.previous_owner, "owner_changed", [h.action.id], text))
    return Done(
        "assign",
        v.typed_ref,
        ("offered to ", Person(owner)),
        c.when(),
        short=(f"{v.typed_ref} — offered to ", Person(owner), f", recorded {c.when()} by you"),
        detail=("They have a DM to accept or decline it.",),
        tells=tells,
    )


@op("away")
def away(c: Ctx, *, until: str) -> Done:
    day = date.fromisoformat(until)
    service.set_away(c.session, until=day, today=c.today, **c.by)
    return Done(
        "away",
        "Reminders",
        ("paused",),
        said=(
            "Reminders paused until ",
            Strong(long_day(day)),
            ". Leads can see you are away.",
        ),
        short=(f"Away until {long_day(day)}",),
        detail=("Back early? ", Code("/ncpi back")),
    )


@op("back")
def back(c: Ctx) -> Done:
    service.set_back(c.session, **c.by)
    return Done(
        "back",
        "Reminders",
        ("on again",),
        said=("Welcome back: reminders are on again.",),
        short=("Welcome back",),
    )


@op("snooze")
def snooze(c: Ctx) -> Done:
    until = next_working_day(c.today)
    service.snooze(c.session, until=until, today=c.today, **c.by)
    return Done(
        "snooze",
        "Reminders",
        ("snoozed",),
        said=("I'll remind you again on ", Strong(long_day(until)), f", recorded {c.when()}."),
        short=(f"I'll remind you on {long_day(until)}",),
    )
