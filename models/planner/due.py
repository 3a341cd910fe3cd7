"""Due-date reminders (soon, today, every other working day overdue) and escalations."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from models.calendar import add_working_days, on_or_before_working_day
from models.planner.facts import _OPEN
from models.planner.leads import _lead_recipients
from models.planner.model import Kind, Owed, _Row, _sort_key
from models.planner.standing import _fmt, _WorkIndex, due_note
from models.service.members import is_paused
from models.tables import Reminder

DUE_SOON_WORKING_DAYS = 3
OVERDUE_EVERY = 2
ESCALATE_AFTER = 5


def _escalation_target(action_id: int, lead: str | None = None) -> str:
    """An escalation's target: `A12` when it goes to a manager or the digest channel, or
    `A12:U0LEAD` when it goes to the leads by DM (one claim per DM)."""
    return f"A{action_id}" if lead is None else f"A{action_id}:{lead}"


def _escalated_action(target: str) -> int | None:
    head = target.split(":", 1)[0]
    return int(head[1:]) if head[:1] == "A" and head[1:].isdigit() else None


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
    paused = {m.user_id for m in members.values() if is_paused(m, today)}
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
        if is_paused(member, today):
            continue
        by_day = per_owner[owner]
        last = max(sent.last_to(Kind.DUE, owner), sent.last_to(Kind.PANEL, owner))
        missed = sorted(d for d in by_day if d < today and d > last and not is_paused(member, d))
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
        if manager and not is_paused(members.get(manager), today):
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
        who = r.owner or "no owner"
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
