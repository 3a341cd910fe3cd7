"""Reminder planning: which reminders are owed at an instant. Pure domain, no Slack.

The database is the schedule. `owed()` reads actions, members, panel meetings and the
`Reminder` rows of the last few working days, and answers "what should have gone out by
`now` today". The sweep (jobs/sweep.py) claims each answer by its unique key
(kind, target, local day) before sending, so asking twice is harmless.

Rules (everything at NCPI_REMINDER_HOUR local time, on working days only):

- panel: NCPI_PANEL_REMINDER_DAYS calendar days before each meeting, moved back to the
  previous working day: one DM per owner listing all their open actions. Owners who have
  updated every one of their open actions since the previous panel are already ready: not
  chased. Only the owner's own update counts (a status, note or evidence row written by the
  action's current owner, by command, button, form or thread reply); an import's or the
  sample's rows, and a lead's edits (`due`, `assign`, a status on their behalf), do not.
- due: one DM per owner per day listing the actions that are due in 3 working days, due
  today, or overdue by an even number of working days (every 2 working days). Folded into
  the panel DM when the owner gets one that day.
- escalation: once per action and due date, the first time it is found at or past 5 working
  days overdue: on the day it crosses the line, or whenever it is first seen that late
  (imported late, missed for longer than the catch-up window, its due date moved into the
  past). An escalation already sent on or after the day it crossed the line covers it. To
  the owner's manager (if not away or snoozed), else the digest channel, else each lead by
  DM (not the owner, unless they are the only lead).
- digest: the first working day of each week, to NCPI_DIGEST_CHANNEL (or each lead by DM
  when no channel is set): overdue, at risk, awaiting verification, away owners' items,
  and recommendations past the target their timescale sets with actions still open.
- readiness: the working day before a panel, to the same place: open actions with no
  update by their owner (as for the panel countdown) since the previous panel, naming
  their owners.
- milestone: 14, 7 and 2 calendar days before each of an inspection's milestones
  (models.service.milestones: the chief constable's comments, the s.55 deadline, the NCPI
  action plan, the re-inspection) and on the day, moved back to the previous working day,
  to the same place as the digest. Keyed on the milestone's day, so a moved milestone is
  chased again for its new day.
- review: NCPI_REVIEW_DAYS working days before each panel, one DM to each lead (not away
  or snoozed) asking them to review the draft paper's progress since the last panel
  (models.paper.review); once per panel, a missed day caught up as for the readiness note.
- nobody who is away (away_until > today) or snoozed (snoozed_until > today) is sent
  anything; a snooze that ends today brings a reminder of all their open actions.

Catch-up: reminders owed on earlier working days (up to LOOKBACK_WORKING_DAYS back) that
never went out are not sent as such; they collapse into today's one message per owner
(per panel, per digest), keyed on today, showing each action as it stands now.

One action's data never stops the plan: an action whose due date lies outside
models.parsing's EARLIEST–LATEST (the window every entry point accepts; only raw SQL or an old
import writes such a date) is left out and returned in `Plan.skipped` with its ref and why,
for the sweep to log and the CLI to show; everyone else's reminders are planned as usual.

Cost: a fixed handful of set-based queries, whatever the number of actions.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from models.calendar import add_working_days, is_working_day, local_date, local_to_utc
from models.planner.due import (
    DUE_SOON_WORKING_DAYS,
    ESCALATE_AFTER,
    OVERDUE_EVERY,
    _events_by_due,
    _plan_due,
    _plan_escalations,
)
from models.planner.facts import (
    _members,
    _open_rows,
    _panels,
    _plannable,
    _sent_before,
)
from models.planner.leads import DIGEST_ITEMS_PER_GROUP, _plan_digest
from models.planner.milestones import MILESTONE_REMINDER_DAYS, _plan_milestones
from models.planner.model import Kind, Owed, OwedItem, PanelInfo, Plan, Skipped, reminder_key
from models.planner.panel import NO_PANEL_STALE_DAYS, _plan_panels, _plan_readiness
from models.planner.review import _plan_review
from models.planner.standing import _WorkIndex, due_note
from models.settings import Settings

__all__ = [
    "DIGEST_ITEMS_PER_GROUP",
    "DUE_SOON_WORKING_DAYS",
    "ESCALATE_AFTER",
    "LOOKBACK_WORKING_DAYS",
    "MILESTONE_REMINDER_DAYS",
    "NO_PANEL_STALE_DAYS",
    "OVERDUE_EVERY",
    "Kind",
    "Owed",
    "OwedItem",
    "PanelInfo",
    "Plan",
    "Skipped",
    "due_note",
    "owed",
    "plan_reminders",
    "reminder_instant",
    "reminder_key",
]

LOOKBACK_WORKING_DAYS = 10  # how far back missed reminders are caught up


def reminder_instant(day: date, settings: Settings) -> datetime:
    """The UTC instant reminders go out on `day` (DST-correct)."""
    return local_to_utc(day, time(settings.reminder_hour), settings.tz)


def owed(session: Session, *, now: datetime, settings: Settings) -> list[Owed]:
    """Every reminder owed at `now` (see `plan_reminders`), without the skipped actions."""
    return plan_reminders(session, now=now, settings=settings).owed


def plan_reminders(session: Session, *, now: datetime, settings: Settings) -> Plan:
    """Every reminder owed at `now` today, including today's catch-up of missed days, and
    the actions that could not be planned.

    Deterministic for a given database and day: what was already sent *today* does not
    change the answer (the sweep skips keys already claimed); only earlier days' rows do.
    """
    tz = settings.tz
    today = local_date(now, tz)
    if not is_working_day(today) or now < reminder_instant(today, settings):
        return Plan([])
    start = add_working_days(today, -LOOKBACK_WORKING_DAYS)
    days = (start + timedelta(days=i) for i in range((today - start).days + 1))
    window = [d for d in days if is_working_day(d)]

    rows, skipped = _plannable(session, _open_rows(session))
    members = _members(session)
    panels = _panels(session)
    sent = _sent_before(session, since=start, today=today)

    lo = min([start] + [r.due for r in rows if r.due is not None]) - timedelta(days=7)
    hi = max([today] + [r.due for r in rows if r.due is not None]) + timedelta(days=7)
    wi = _WorkIndex(lo, hi)
    out: list[Owed] = []

    panel_owed = _plan_panels(session, rows, members, panels, sent, settings, today, start, wi)
    out += panel_owed
    events = _events_by_due(rows, window, wi)
    out += _plan_due(rows, members, sent, today, events, wi, panel_owed)
    out += _plan_escalations(session, rows, members, settings, today, wi)
    out += _plan_digest(session, rows, members, sent, settings, today, start, wi)
    out += _plan_readiness(session, rows, members, panels, sent, settings, today, start)
    out += _plan_milestones(session, members, sent, settings, today, start)
    out += _plan_review(members, panels, sent, settings, today, start)
    return Plan(out, skipped)
