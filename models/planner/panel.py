"""The panel countdown (one DM per owner before each panel) and the leads' readiness note
(the working day before it)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from models.calendar import on_or_before_working_day, previous_working_day
from models.planner.facts import _OPEN, _updated_since
from models.planner.leads import _lead_recipients
from models.planner.model import Kind, Owed, PanelInfo, _Row, _sort_key
from models.planner.standing import _fmt, due_note
from models.service.members import is_paused
from models.tables import PanelMeeting
from models.wording import plural

NO_PANEL_STALE_DAYS = 28  # "no recent update" when there was no previous panel


def _panel_info(p: PanelMeeting, previous: PanelMeeting | None) -> PanelInfo:
    return PanelInfo(
        p.id,
        p.day,
        p.starts_at,
        p.paper_ref,
        p.title,
        previous.day if previous else None,
        _stale_threshold(p, previous).date(),
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
            if is_paused(member, today):
                continue
            target = f"P{p.id}:{owner}"
            last = sent.last(Kind.PANEL, target)
            missed = sorted(
                d for d in days if start <= d < today and d > last and not is_paused(member, d)
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


def _plan_readiness(session, rows, members, panels, sent, settings, today, start) -> list[Owed]:
    """The working day before each panel, to the leads: open actions with no update by
    their owner since the previous panel."""
    out: list[Owed] = []
    recipients = _lead_recipients(members, settings, today)
    if not recipients:
        return out
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
