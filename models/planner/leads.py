"""What the leads are sent: who they are (the digest channel, else each lead not paused)
and the weekly digest."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select
from sqlmodel import Session, col

from models.calendar import add_working_days, is_working_day
from models.kinds import in_order, item_ref
from models.planner.model import Kind, Owed, OwedItem, _Person, _Row, _sort_key
from models.planner.standing import _fmt, due_note
from models.service.members import is_away, where_leads_hear
from models.settings import Settings
from models.tables import Inspection, Recommendation, Status, status_label
from models.timescales import safe_target
from models.wording import plural

DIGEST_ITEMS_PER_GROUP = 50  # the digest names this many per section; counts are whole


def _lead_recipients(members: dict[str, _Person], settings: Settings, today: date) -> list[str]:
    return where_leads_hear(members.values(), digest_channel=settings.digest_channel, today=today)


def _digest_day(today: date) -> date:
    """The first working day of today's week (Monday, or Tuesday after a bank holiday)."""
    day = today - timedelta(days=today.weekday())
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _plan_digest(session, rows, members, sent, settings, today, start, wi) -> list[Owed]:
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
        if is_away(owner, today):
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
                note = f"{status_label(r.status)}; {note}"
            items.append(r.item(note, group))
    return items, {g: len(rs) for g, rs in groups.items() if rs}


def _past_target(
    session: Session, rows: list[_Row], settings: Settings, today: date
) -> list[OwedItem]:
    """The digest's "past target" section: one line per recommendation whose timescale's
    target day (models.timescales) has passed while it still has open actions."""
    open_by_rec: dict[tuple[int, str, int], int] = defaultdict(int)
    for r in rows:
        open_by_rec[(r.inspection_id, r.kind, r.rec)] += 1
    if not open_by_rec:
        return []
    q = (
        select(
            Recommendation.inspection_id,
            Recommendation.kind,
            Recommendation.number,
            Recommendation.title,
            Recommendation.timescale,
            Inspection.published,
        )
        .join(Inspection, Inspection.id == Recommendation.inspection_id)
        .where(col(Recommendation.timescale).is_not(None))
        .order_by(Recommendation.inspection_id, *in_order())
    )
    out: list[OwedItem] = []
    for insp_id, kind, number, title, timescale, published in session.connection().execute(q):
        n = open_by_rec.get((insp_id, kind, number), 0)
        target = safe_target(timescale, published, immediately_days=settings.immediately_days)
        if n and target is not None and target < today:
            note = (
                f"target {_fmt(target)} {target.year} ({timescale.lower()}) passed; "
                f"{plural(n, 'open action')}"
            )
            ref = item_ref(kind, number)
            out.append(OwedItem(0, ref, title, None, target, "", note, "past target"))
    return out
