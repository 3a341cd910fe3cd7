"""Why no reminder is owed at an instant, in words: what `reminders run` says when a sweep
finds nothing to send, so "0" never leaves someone guessing whether the bot is broken.

Asked only after the planner (models/planner/) answered "nothing"; it reads the same
settings, calendar and tables and names the first reason that holds: not a working day
(a weekend, or a bank holiday by name), before the reminder hour, nothing open, nobody to
chase (every owner away or snoozed), or nothing falls due today under the rules.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session, col

from models.calendar import (
    bank_holiday_name,
    is_working_day,
    local_date,
    next_working_day,
    on_or_before_working_day,
)
from models.planner import DUE_SOON_WORKING_DAYS, OVERDUE_EVERY, reminder_instant
from models.service.members import is_away, is_paused
from models.settings import Settings
from models.tables import OPEN_STATUSES, Action, Member, PanelMeeting
from models.wording import long_day


def why_nothing_owed(session: Session, *, now: datetime, settings: Settings) -> str:
    """The reason a sweep at `now` owes nothing, e.g. "Sat 5 Dec 2026 is a weekend; …"."""
    today = local_date(now, settings.tz)
    hour = f"{settings.reminder_hour:02d}:00"
    if not is_working_day(today):
        what = (
            "a weekend"
            if today.weekday() >= 5
            else f"a bank holiday, {bank_holiday_name(today) or 'in England and Wales'}"
        )
        return (
            f"{long_day(today)} is {what}; reminders go out on working days, "
            f"next {long_day(next_working_day(today))} {hour}"
        )
    if now < reminder_instant(today, settings):
        return (
            f"it is before the reminder hour ({hour}, NCPI_REMINDER_HOUR); "
            f"reminders go out from {long_day(today)} {hour}"
        )
    owners = set(
        session.execute(
            select(Action.owner)
            .where(col(Action.status).in_([str(s) for s in OPEN_STATUSES]))
            .distinct()
        ).scalars()
    )
    if not owners:
        return "there are no open actions to chase"
    if owners == {None}:
        return "no open action has an owner to chase"
    paused = _paused(session, {o for o in owners if o}, today)
    if paused and len(paused) == len(owners - {None}):
        return "every owner of an open action is away or has paused reminders (" + (
            "; ".join(paused) + ")"
        )
    away = f"; away or paused: {'; '.join(paused)}" if paused else ""
    chased = (
        f"no open action is due in {DUE_SOON_WORKING_DAYS} working days, due today or at an "
        f"overdue chase (every {OVERDUE_EVERY} working days)"
    )
    panel = _next_panel(session, today)
    if panel is None:
        return f"{chased}, and no panel meeting is set{away}"
    days = sorted(
        {
            on_or_before_working_day(panel.day - timedelta(days=n))
            for n in settings.panel_reminder_days
        }
    )
    if today in days:
        return (
            f"{chased}; the countdown to the panel on {long_day(panel.day)} falls today, and "
            f"every owner has updated each open action since the last panel{away}"
        )
    when = ", ".join(long_day(d) for d in days if d > today) or "no more days before it"
    return (
        f"{chased}, and no panel countdown falls today (next panel {long_day(panel.day)}: "
        f"owners are chased on {when}){away}"
    )


def _paused(session: Session, owners: set[str], today: date) -> list[str]:
    """Owners who get nothing today, each with until when, e.g. "U1 away until Thu 10 Dec 2026"."""
    rows = session.scalars(
        select(Member).where(col(Member.user_id).in_(owners)).order_by(Member.user_id)
    ).all()
    out = []
    for m in rows:
        if is_away(m, today):
            out.append(f"{m.user_id} away until {long_day(m.away_until)}")
        elif is_paused(m, today):
            out.append(f"{m.user_id} snoozed until {long_day(m.snoozed_until)}")
    return out


def _next_panel(session: Session, today: date) -> PanelMeeting | None:
    return session.execute(
        select(PanelMeeting)
        .where(PanelMeeting.cancelled == False, PanelMeeting.day > today)  # noqa: E712
        .order_by(PanelMeeting.day)
        .limit(1)
    ).scalar_one_or_none()
