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

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import func, select
from sqlmodel import Session, col

from models.calendar import (
    add_working_days,
    is_working_day,
    local_date,
    local_to_utc,
    on_or_before_working_day,
    previous_working_day,
)
from models.parsing import EARLIEST, LATEST, in_window, qualified
from models.service.milestones import MilestoneView, all_milestones
from models.settings import Settings
from models.tables import (
    OPEN_STATUSES,
    REMINDER_FINAL,
    Action,
    Inspection,
    Member,
    PanelMeeting,
    Recommendation,
    Reminder,
    Role,
    Source,
    Status,
    Update,
)
from models.timescales import safe_target
from models.wording import plural

LOOKBACK_WORKING_DAYS = 10  # how far back missed reminders are caught up
DUE_SOON_WORKING_DAYS = 3
OVERDUE_EVERY = 2
ESCALATE_AFTER = 5
NO_PANEL_STALE_DAYS = 28  # "no recent update" when there was no previous panel
DIGEST_ITEMS_PER_GROUP = 50  # the digest names this many per section; counts are whole
MILESTONE_REMINDER_DAYS = (14, 7, 2, 0)  # calendar days before a milestone leads are told
OWNER_UPDATE_FIELDS = ("status", "note", "evidence")  # history rows that are an owner's update
_OPEN = {str(s) for s in OPEN_STATUSES}


class Kind(StrEnum):
    PANEL = "panel"
    DUE = "due"
    ESCALATION = "escalation"
    DIGEST = "digest"
    READINESS = "readiness"
    MILESTONE = "milestone"


class OwedItem(NamedTuple):
    """One action line in a reminder, as it stands at planning time."""

    action_id: int
    ref: str  # as people type it back: `R2.1`, or `NCPI:R2.1` when several inspections are tracked
    title: str
    owner: str | None
    due: date | None
    status: str
    note: str  # why it is listed, e.g. "overdue by 4 working days"
    group: str = ""  # digest section
    inspection: str = ""  # its inspection's code, for what buttons carry


@dataclass(frozen=True)
class PanelInfo:
    id: int
    day: date
    starts_at: datetime
    paper_ref: str | None
    title: str
    previous_day: date | None


@dataclass(frozen=True)
class Owed:
    kind: str
    target: str
    local_day: date
    recipient: str  # Slack user id (DM) or channel id
    reason: str
    items: tuple[OwedItem, ...] = ()
    panel: PanelInfo | None = None
    today: date | None = None
    caught_up: tuple[date, ...] = field(default=())  # missed days folded into this one
    milestone: MilestoneView | None = None

    @property
    def key(self) -> str:
        return reminder_key(self.kind, self.target, self.local_day)

    @property
    def action_refs(self) -> tuple[str, ...]:
        return tuple(i.ref for i in self.items)

    @property
    def action_ids(self) -> tuple[int, ...]:
        return tuple(i.action_id for i in self.items)


@dataclass(frozen=True)
class Skipped:
    """An action the planner could not plan, and why (no note text: safe to log)."""

    action_id: int
    ref: str  # "NCPI:R4.1"
    reason: str  # "due date 9999-12-31 is outside 2000-2100"


@dataclass(frozen=True)
class Plan:
    owed: list[Owed]
    skipped: list[Skipped] = field(default_factory=list)


def reminder_key(kind: str, target: str, local_day: date) -> str:
    return f"{kind}|{target}|{local_day.isoformat()}"


def _escalation_target(action_id: int, lead: str | None = None) -> str:
    """An escalation's target: `A12` when it goes to a manager or the digest channel, or
    `A12:U0LEAD` when it goes to the leads by DM (one claim per DM)."""
    return f"A{action_id}" if lead is None else f"A{action_id}:{lead}"


def _escalated_action(target: str) -> int | None:
    head = target.split(":", 1)[0]
    return int(head[1:]) if head[:1] == "A" and head[1:].isdigit() else None


# -- calendar arithmetic, precomputed once per plan -------------------------------------------


class _WorkIndex:
    """W[d] = working days in [lo, d]: working days between a and b is W[b] - W[a]."""

    def __init__(self, lo: date, hi: date) -> None:
        self.lo = lo
        self.notes: dict[tuple, str] = {}  # due_note memo: (due, implemented, today) → text
        self.count: dict[date, int] = {}
        n, d = 0, lo
        while d <= hi:
            if is_working_day(d):
                n += 1
            self.count[d] = n
            d += timedelta(days=1)

    def between(self, a: date, b: date) -> int:
        """Working days in (a, b] (as calendar.working_days_between), a and b in range."""
        return self.count[b] - self.count[a]


class _Person(NamedTuple):
    user_id: str
    role: str
    manager: str | None
    away_until: date | None
    snoozed_until: date | None


def _paused_on(member: _Person | None, day: date) -> bool:
    if member is None:
        return False
    return bool(
        (member.away_until and member.away_until > day)
        or (member.snoozed_until and member.snoozed_until > day)
    )


@lru_cache(maxsize=4096)
def _fmt(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def due_note(due: date | None, status: str, today: date, wi: _WorkIndex | None = None) -> str:
    """How an action stands against its due date today, in words."""
    if wi is not None:
        key = (due, status == Status.IMPLEMENTED, today)
        note = wi.notes.get(key)
        if note is None:
            note = wi.notes[key] = _due_note(due, status, today, wi)
        return note
    return _due_note(due, status, today, None)


def _due_note(due: date | None, status: str, today: date, wi: _WorkIndex | None) -> str:
    if status == Status.IMPLEMENTED:
        return "implemented, awaiting verification"
    if due is None:
        return "no due date"
    if due < today:
        n = wi.between(due, today) if wi else _between(due, today)
        return f"overdue by {plural(n, 'working day')} (due {_fmt(due)})"
    if due == today:
        return "due today"
    n = wi.between(today, due) if wi else _between(today, due)
    if n == 0:  # due on a weekend or bank holiday straight after today
        return f"due {_fmt(due)}"
    return f"due in {plural(n, 'working day')} ({_fmt(due)})"


def _between(a: date, b: date) -> int:
    from models.calendar import working_days_between

    return working_days_between(a, b)


@dataclass(slots=True)
class _Row:
    id: int
    rec: int
    number: int
    title: str
    owner: str | None
    due: date | None
    status: str
    inspection_id: int
    code: str  # the inspection's
    several: bool  # more than one inspection is tracked

    @property
    def ref(self) -> str:
        """As people type it back (see OwedItem.ref)."""
        return qualified(f"R{self.rec}.{self.number}", self.code if self.several else None)

    def item(self, note: str, group: str = "") -> OwedItem:
        return OwedItem(
            self.id, self.ref, self.title, self.owner, self.due, self.status, note, group, self.code
        )


def _sort_key(r: _Row) -> tuple:
    return (r.due or date.max, r.rec, r.number)


# -- the planner ------------------------------------------------------------------------------


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
    members = {
        m.user_id: m
        for m in (
            _Person(*row)
            for row in session.execute(
                select(
                    Member.user_id,
                    Member.role,
                    Member.manager,
                    Member.away_until,
                    Member.snoozed_until,
                )
            )
        )
    }
    panels = list(
        session.execute(
            select(PanelMeeting)
            .where(PanelMeeting.cancelled == False)  # noqa: E712
            .order_by(PanelMeeting.inspection_id, PanelMeeting.day)
        ).scalars()
    )
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
    out += _plan_leads(session, rows, members, panels, sent, settings, today, start, wi)
    out += _plan_milestones(session, members, sent, settings, today, start)
    return Plan(out, skipped)


def _open_rows(session: Session) -> list[_Row]:
    """Open and implemented actions with their refs: one query, plain tuples (no ORM)."""
    q = (
        select(
            Action.id,
            Recommendation.number,
            Action.number,
            Action.title,
            Action.owner,
            Action.due,
            Action.status,
            Recommendation.inspection_id,
            Inspection.code,
        )
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .join(Inspection, Inspection.id == Recommendation.inspection_id)
        .where(col(Action.status).in_([*_OPEN, str(Status.IMPLEMENTED)]))
    )
    conn = session.connection()
    several = conn.execute(select(func.count()).select_from(Inspection)).scalar_one() > 1
    # Core rows straight from the connection: no ORM identity map for 100,000 tuples.
    return [_Row(*row, several) for row in conn.execute(q).all()]


def _plannable(session: Session, rows: list[_Row]) -> tuple[list[_Row], list[Skipped]]:
    """The rows the calendar can reason about, and a Skipped for each one it cannot."""
    good: list[_Row] = []
    bad: list[_Row] = []
    for r in rows:
        if r.due is not None and not (in_window(r.due)):
            bad.append(r)
        else:
            good.append(r)
    if not bad:
        return good, []
    window = f"{EARLIEST.year}-{LATEST.year}"
    skipped = [
        Skipped(
            r.id,
            qualified(f"R{r.rec}.{r.number}", r.code),
            f"due date {r.due.isoformat()} is outside {window}",
        )
        for r in sorted(bad, key=lambda r: (r.code, r.rec, r.number))
        if r.due is not None
    ]
    return good, skipped


@dataclass
class _Sent:
    """The latest local day each (kind, target) was claimed on, before today."""

    latest: dict[tuple[str, str], date]
    by_recipient: dict[tuple[str, str], date]  # (kind, recipient) → latest day

    def last(self, kind: str, target: str) -> date:
        return self.latest.get((kind, target), date.min)

    def last_to(self, kind: str, recipient: str) -> date:
        return self.by_recipient.get((kind, recipient), date.min)


def _sent_before(session: Session, *, since: date, today: date) -> _Sent:
    q = (
        select(Reminder.kind, Reminder.target, Reminder.recipient, func.max(Reminder.local_day))
        .where(Reminder.local_day >= since, Reminder.local_day < today)
        # a reminder Slack never took (missed, still to retry) is owed again in today's catch-up
        .where(col(Reminder.state).in_(REMINDER_FINAL))
        .group_by(Reminder.kind, Reminder.target, Reminder.recipient)
    )
    latest: dict[tuple[str, str], date] = {}
    by_recipient: dict[tuple[str, str], date] = {}
    for kind, target, recipient, day in session.connection().execute(q):
        latest[(kind, target)] = max(day, latest.get((kind, target), date.min))
        by_recipient[(kind, recipient)] = max(day, by_recipient.get((kind, recipient), date.min))
    return _Sent(latest, by_recipient)


def _updated_since(session: Session, since: datetime, action_ids: set[int]) -> set[int]:
    """Actions their owner has updated (status, note or evidence, written by the action's
    current owner, not by an import) at or after `since` (uses the index on Update.at)."""
    q = (
        select(Update.action_id)
        .join(Action, Action.id == Update.action_id)
        .where(
            Update.at >= since,
            Update.actor == Action.owner,
            col(Update.field).in_(OWNER_UPDATE_FIELDS),
            Update.source != str(Source.IMPORT),
        )
    )
    return {aid for (aid,) in session.connection().execute(q.distinct()) if aid in action_ids}


def _panel_info(p: PanelMeeting, previous: PanelMeeting | None) -> PanelInfo:
    return PanelInfo(
        p.id, p.day, p.starts_at, p.paper_ref, p.title, previous.day if previous else None
    )


def _previous_panels(panels: list[PanelMeeting]) -> dict[int, PanelMeeting | None]:
    prev: dict[int, PanelMeeting | None] = {}
    last: dict[int, PanelMeeting] = {}
    for p in panels:  # ordered by inspection, day
        prev[p.id] = last.get(p.inspection_id)
        last[p.inspection_id] = p
    return prev


def _stale_threshold(p: PanelMeeting, previous: PanelMeeting | None) -> datetime:
    return previous.starts_at if previous else p.starts_at - timedelta(days=NO_PANEL_STALE_DAYS)


def _plan_panels(session, rows, members, panels, sent, settings, today, start, wi) -> list[Owed]:
    prev = _previous_panels(panels)
    out: list[Owed] = []
    by_insp_owner: dict[int, dict[str, list[_Row]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r.owner and r.status in _OPEN:
            by_insp_owner[r.inspection_id][r.owner].append(r)
    for p in panels:
        if p.day <= today:
            continue
        days = {
            on_or_before_working_day(p.day - timedelta(days=n))
            for n in settings.panel_reminder_days
        }
        if not any(start <= d <= today for d in days):
            continue
        owners = by_insp_owner.get(p.inspection_id, {})
        previous = prev[p.id]
        fresh: set[int] = set()
        if previous is not None:
            ids = {r.id for rs in owners.values() for r in rs}
            fresh = _updated_since(session, previous.starts_at, ids)
        info = _panel_info(p, previous)
        for owner, mine in sorted(owners.items()):
            member = members.get(owner)
            if _paused_on(member, today):
                continue
            target = f"P{p.id}:{owner}"
            last = sent.last(Kind.PANEL, target)
            missed = sorted(
                d for d in days if start <= d < today and d > last and not _paused_on(member, d)
            )
            if today not in days and not missed:
                continue
            if previous is not None and all(r.id in fresh for r in mine):
                continue  # already updated everything since the last panel
            mine.sort(key=_sort_key)
            n = (p.day - today).days
            out.append(
                Owed(
                    kind=Kind.PANEL,
                    target=target,
                    local_day=today,
                    recipient=owner,
                    reason=f"panel {_fmt(p.day)} in {plural(n, 'day')}: "
                    f"{plural(len(mine), 'open action')}"
                    + (
                        f" (catch-up of {', '.join(map(_fmt, missed))})"
                        if missed and today not in days
                        else ""
                    ),
                    items=tuple(r.item(due_note(r.due, r.status, today, wi)) for r in mine),
                    panel=info,
                    today=today,
                    caught_up=tuple(missed),
                )
            )
    return out


def _due_events(due: date, window: set[date], wi: _WorkIndex) -> list[tuple[date, str]]:
    """The window days on which an action due on `due` is chased, and why."""
    ev: list[tuple[date, str]] = []
    soon = add_working_days(due, -DUE_SOON_WORKING_DAYS)
    if soon in window:
        ev.append((soon, "soon"))
    on_day = on_or_before_working_day(due)
    if on_day in window:
        ev.append((on_day, "today"))
    for d in window:
        if d > due:
            n = wi.between(due, d)
            if n >= OVERDUE_EVERY and n % OVERDUE_EVERY == 0:
                ev.append((d, "overdue"))
    return ev


def _events_by_due(rows: list[_Row], window: list[date], wi: _WorkIndex) -> dict[date, list]:
    wset = set(window)
    found = {due: _due_events(due, wset, wi) for due in {r.due for r in rows if r.due}}
    return {due: ev for due, ev in found.items() if ev}


def _plan_due(rows, members, sent, today, events, wi, panel_owed) -> list[Owed]:
    per_owner: dict[str, dict[date, list[_Row]]] = defaultdict(lambda: defaultdict(list))
    # a snooze ending today ("remind me next working day") brings all open actions back
    snooze_ends = {m.user_id for m in members.values() if m.snoozed_until == today}
    paused = {m.user_id for m in members.values() if _paused_on(m, today)}
    chase_days = {due: [d for d, _why in ev] for due, ev in events.items()}
    covered: dict[str, date] = {}  # owner → last day a due or panel DM went (before today)
    owner_rows: dict[str, list[_Row]] = defaultdict(list)
    for r in rows:
        owner = r.owner
        if not owner or owner in paused or r.status not in _OPEN:
            continue
        if owner in snooze_ends:
            owner_rows[owner].append(r)
            per_owner[owner]  # noqa: B018 - make sure the owner is considered
        days = chase_days.get(r.due)
        if days:
            last = covered.get(owner)
            if last is None:
                last = covered[owner] = max(
                    sent.last_to(Kind.DUE, owner), sent.last_to(Kind.PANEL, owner)
                )
            for d in days:
                if d > last:  # today, or a missed day after the last DM
                    per_owner[owner][d].append(r)
    panel_today: dict[str, set[int]] = defaultdict(set)
    for o in panel_owed:
        panel_today[o.recipient].update(o.action_ids)
    out: list[Owed] = []
    for owner in sorted(per_owner):
        member = members.get(owner)
        if _paused_on(member, today):
            continue
        by_day = per_owner[owner]
        last = max(sent.last_to(Kind.DUE, owner), sent.last_to(Kind.PANEL, owner))
        missed = sorted(d for d in by_day if d < today and d > last and not _paused_on(member, d))
        chosen: dict[int, _Row] = {}
        for d in [*missed, today]:
            for r in by_day.get(d, ()):
                chosen[r.id] = r
        snooze_ended = member is not None and member.snoozed_until == today
        if snooze_ended:
            for r in owner_rows[owner]:
                chosen[r.id] = r
        if not chosen:
            continue
        if set(chosen) <= panel_today.get(owner, set()):
            continue  # today's panel DM already lists every one of these, with due notes
        mine = sorted(chosen.values(), key=_sort_key)
        why = []
        if today in by_day:
            why.append("due-date reminder")
        if snooze_ended:
            why.append(f"snoozed until {_fmt(today)}")
        if missed:
            why.append(f"catch-up of {', '.join(map(_fmt, missed))}")
        out.append(
            Owed(
                kind=Kind.DUE,
                target=owner,
                local_day=today,
                recipient=owner,
                reason=f"{'; '.join(why)}: "
                + ", ".join(f"{r.ref} {due_note(r.due, r.status, today, wi)}" for r in mine),
                items=tuple(r.item(due_note(r.due, r.status, today, wi)) for r in mine),
                today=today,
                caught_up=tuple(missed),
            )
        )
    return out


def _escalated_on_or_after(session: Session, since: date, today: date) -> dict[int, date]:
    """Action id → the latest day before today an escalation was claimed for it, since
    `since` (however long ago: an escalation is once per action and due date)."""
    q = (
        select(Reminder.target, func.max(Reminder.local_day))
        .where(
            Reminder.kind == str(Kind.ESCALATION),
            Reminder.local_day >= since,
            Reminder.local_day < today,
        )
        .group_by(Reminder.target)
    )
    out: dict[int, date] = {}
    for target, day in session.connection().execute(q):
        aid = _escalated_action(target)
        if aid is not None:
            out[aid] = max(day, out.get(aid, date.min))
    return out


def _plan_escalations(session, rows, members, settings, today, wi) -> list[Owed]:
    crossed_on: dict[date, date] = {}  # due → the day it became ESCALATE_AFTER overdue
    candidates: list[tuple[_Row, date]] = []
    for r in rows:
        if r.due is None or r.due >= today or r.status not in _OPEN:
            continue
        if wi.between(r.due, today) < ESCALATE_AFTER:
            continue
        crossed = crossed_on.get(r.due)
        if crossed is None:
            crossed = crossed_on[r.due] = add_working_days(r.due, ESCALATE_AFTER)
        candidates.append((r, crossed))
    if not candidates:
        return []
    done = _escalated_on_or_after(session, min(c for _, c in candidates), today)
    leads: list[str] | None = None
    out: list[Owed] = []
    for r, crossed in sorted(candidates, key=lambda c: _sort_key(c[0])):
        if done.get(r.id, date.min) >= crossed:
            continue  # already escalated on or after the day it crossed the line
        owner = members.get(r.owner) if r.owner else None
        manager = owner.manager if owner else None
        if manager and not _paused_on(members.get(manager), today):
            to = [(manager, _escalation_target(r.id))]
            whom = "their manager"
        elif settings.digest_channel:
            to = [(settings.digest_channel, _escalation_target(r.id))]
            whom = "the digest channel"
        else:
            if leads is None:
                leads = _lead_recipients(members, settings, today)
            mine = [u for u in leads if u != r.owner] or leads
            to = [(u, _escalation_target(r.id, u)) for u in mine]
            whom = "the leads"
        note = due_note(r.due, r.status, today, wi)
        who = f"<@{r.owner}>" if r.owner else "no owner"
        for recipient, target in to:
            out.append(
                Owed(
                    kind=Kind.ESCALATION,
                    target=target,
                    local_day=today,
                    recipient=recipient,
                    reason=f"{r.ref} {note}, owner {who}: escalated to {whom}",
                    items=(r.item(note),),
                    today=today,
                    caught_up=(crossed,) if crossed < today else (),
                )
            )
    return out


def _lead_recipients(members: dict[str, _Person], settings: Settings, today: date) -> list[str]:
    if settings.digest_channel:
        return [settings.digest_channel]
    leads = {m.user_id for m in members.values() if m.role == Role.LEAD} | set(settings.leads)
    return sorted(u for u in leads if not _paused_on(members.get(u), today))


def _digest_day(today: date) -> date:
    """The first working day of today's week (Monday, or Tuesday after a bank holiday)."""
    day = today - timedelta(days=today.weekday())
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _plan_leads(session, rows, members, panels, sent, settings, today, start, wi) -> list[Owed]:
    out: list[Owed] = []
    recipients = _lead_recipients(members, settings, today)
    if not recipients:
        return out
    digest_day = _digest_day(today)
    if digest_day <= today and digest_day >= start:
        items, counts = _digest_items(rows, members, today, wi)
        late = _past_target(session, rows, settings, today)
        if late:
            shown = late[:DIGEST_ITEMS_PER_GROUP]
            items, counts = items + shown, {**counts, "past target": len(late)}
        for rcpt in recipients:
            if digest_day < today and sent.last(Kind.DIGEST, rcpt) >= digest_day:
                continue
            late = "" if digest_day == today else f" (catch-up of {_fmt(digest_day)})"
            out.append(
                Owed(
                    kind=Kind.DIGEST,
                    target=rcpt,
                    local_day=today,
                    recipient=rcpt,
                    reason="weekly digest"
                    + late
                    + ": "
                    + (", ".join(f"{v} {k}" for k, v in counts.items()) or "nothing outstanding"),
                    items=tuple(items),
                    today=today,
                    caught_up=(digest_day,) if digest_day < today else (),
                )
            )
    prev = _previous_panels(panels)
    for p in panels:
        if p.day < today:
            continue
        ready_day = previous_working_day(p.day)
        if not (start <= ready_day <= today):
            continue
        previous = prev[p.id]
        mine = sorted(
            (r for r in rows if r.inspection_id == p.inspection_id and r.status in _OPEN),
            key=_sort_key,
        )
        since = _stale_threshold(p, previous)
        fresh = _updated_since(session, since, {r.id for r in mine})
        stale = [r for r in mine if r.id not in fresh]
        since_text = (
            f"the last panel ({_fmt(previous.day)})" if previous else f"{_fmt(since.date())}"
        )
        for rcpt in recipients:
            target = f"P{p.id}" if rcpt == settings.digest_channel else f"P{p.id}:{rcpt}"
            if ready_day < today and sent.last(Kind.READINESS, target) >= ready_day:
                continue
            owners = sorted({r.owner or "no owner" for r in stale})
            out.append(
                Owed(
                    kind=Kind.READINESS,
                    target=target,
                    local_day=today,
                    recipient=rcpt,
                    reason=f"panel {_fmt(p.day)} readiness: {plural(len(stale), 'action')} "
                    f"with no update since {since_text}"
                    + (f", owners {', '.join(owners)}" if owners and len(owners) <= 10 else "")
                    + ("" if ready_day == today else f" (catch-up of {_fmt(ready_day)})"),
                    items=tuple(
                        r.item(f"no update since {since_text}", group="no update") for r in stale
                    ),
                    panel=_panel_info(p, previous),
                    today=today,
                    caught_up=(ready_day,) if ready_day < today else (),
                )
            )
    return out


def _digest_items(rows, members, today, wi) -> tuple[list[OwedItem], dict[str, int]]:
    """The digest's sections, most urgent first: each names its first
    DIGEST_ITEMS_PER_GROUP actions (soonest due first) and counts them all."""
    soon_until = add_working_days(today, 5)
    risky = (str(Status.AT_RISK), str(Status.BLOCKED))
    groups: dict[str, list[_Row]] = {
        "overdue": [],
        "at risk or blocked": [],
        "due this week": [],
        "awaiting verification": [],
        "owner away": [],
    }
    for r in rows:
        if r.status == Status.IMPLEMENTED:
            groups["awaiting verification"].append(r)
            continue
        owner = members.get(r.owner) if r.owner else None
        if owner is not None and owner.away_until and owner.away_until > today:
            groups["owner away"].append(r)
        if r.due and r.due < today:
            groups["overdue"].append(r)
        elif r.status in risky:
            groups["at risk or blocked"].append(r)
        elif r.due and r.due <= soon_until:
            groups["due this week"].append(r)
    items: list[OwedItem] = []
    for group, members_rows in groups.items():
        for r in sorted(members_rows, key=_sort_key)[:DIGEST_ITEMS_PER_GROUP]:
            note = due_note(r.due, r.status, today, wi)
            if group == "owner away":
                note += f"; owner away until {_fmt(members[r.owner].away_until)}"
            elif group == "at risk or blocked":
                note = f"{r.status.replace('_', ' ')}; {note}"
            items.append(r.item(note, group))
    return items, {g: len(rs) for g, rs in groups.items() if rs}


def _past_target(
    session: Session, rows: list[_Row], settings: Settings, today: date
) -> list[OwedItem]:
    """The digest's "past target" section: one line per recommendation whose timescale's
    target day (models.timescales) has passed while it still has open actions."""
    open_by_rec: dict[tuple[int, int], int] = defaultdict(int)
    for r in rows:
        open_by_rec[(r.inspection_id, r.rec)] += 1
    if not open_by_rec:
        return []
    q = (
        select(
            Recommendation.inspection_id,
            Recommendation.number,
            Recommendation.title,
            Recommendation.timescale,
            Inspection.published,
        )
        .join(Inspection, Inspection.id == Recommendation.inspection_id)
        .where(col(Recommendation.timescale).is_not(None))
        .order_by(Recommendation.inspection_id, Recommendation.number)
    )
    out: list[OwedItem] = []
    for insp_id, number, title, timescale, published in session.connection().execute(q):
        n = open_by_rec.get((insp_id, number), 0)
        target = safe_target(timescale, published, immediately_days=settings.immediately_days)
        if n and target is not None and target < today:
            note = (
                f"target {_fmt(target)} {target.year} ({timescale.lower()}) passed; "
                f"{plural(n, 'open action')}"
            )
            out.append(OwedItem(0, f"R{number}", title, None, target, "", note, "past target"))
    return out


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
