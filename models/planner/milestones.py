"""Milestone reminders to the leads, before each of an inspection's milestones."""

from __future__ import annotations

from datetime import timedelta

from models.calendar import on_or_before_working_day
from models.planner.leads import _lead_recipients
from models.planner.model import Kind, Owed
from models.planner.standing import _fmt
from models.service.milestones import all_milestones
from models.wording import plural

MILESTONE_REMINDER_DAYS = (14, 7, 2, 0)  # calendar days before a milestone leads are told


def _plan_milestones(session, members, sent, settings, today, start) -> list[Owed]:
    """Leads are told MILESTONE_REMINDER_DAYS before each milestone; missed days within the
    catch-up window collapse into today's one message, as for the readiness note."""
    recipients = _lead_recipients(members, settings, today)
    out: list[Owed] = []
    if not recipients:
        return out
    for m in all_milestones(session):
        if m.day is None or m.day < today:
            continue
        days = {
            on_or_before_working_day(m.day - timedelta(days=n)) for n in MILESTONE_REMINDER_DAYS
        }
        if not any(start <= d <= today for d in days):
            continue
        base = f"M{m.inspection_id}:{m.kind}:{m.day.isoformat()}"
        for rcpt in recipients:
            target = base if rcpt == settings.digest_channel else f"{base}:{rcpt}"
            last = sent.last(Kind.MILESTONE, target)
            missed = sorted(d for d in days if start <= d < today and d > last)
            if today not in days and not missed:
                continue
            n = (m.day - today).days
            when = "today" if n == 0 else f"in {plural(n, 'day')}"
            out.append(
                Owed(
                    kind=Kind.MILESTONE,
                    target=target,
                    local_day=today,
                    recipient=rcpt,
                    reason=f"{m.inspection_code} {m.label}: {_fmt(m.day)} {m.day.year}, {when}"
                    + (
                        f" (catch-up of {', '.join(map(_fmt, missed))})"
                        if missed and today not in days
                        else ""
                    ),
                    today=today,
                    caught_up=tuple(missed) if today not in days else (),
                    milestone=m,
                )
            )
    return out
