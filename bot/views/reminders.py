"""Block Kit for reminders: panel countdown and due-date DMs (with one-click buttons),
escalations, the weekly lead digest, the panel readiness note and milestone notes.

Action rows and the DM footer are the shared ones (bot/views/actions.py), so a click on a
reminder row is handled, and the row updated in place, exactly as everywhere else.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.views.actions import action_row_blocks, dm_footer_blocks
from bot.views.common import escape
from bot.views.review import review_request
from models.calendar import overdue_working_days
from models.parsing import parse_ref
from models.planner import ESCALATE_AFTER, Kind, Owed, OwedItem
from models.service import ActionView, rag
from models.tables import status_label
from models.wording import in_days, plural, short_day, week_day

MAX_ROWS = 20  # action rows with buttons in one DM (2 blocks each; Slack allows 50 blocks)
MAX_LINES = 40  # bullet lines per digest section
SECTION_TEXT = 2900  # Slack's section limit is 3000 characters


def _section(text: str) -> dict[str, Any]:
    if len(text) > SECTION_TEXT:
        text = text[: SECTION_TEXT - 1] + "…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _view(item: OwedItem, last_update: datetime | None, today: date) -> ActionView:
    ref = parse_ref(item.ref, want="action")  # `NCPI:R2.1` when several are tracked
    return ActionView(
        ref=str(ref),
        rec_number=ref.rec,
        rec_kind=ref.kind,
        number=ref.action,
        title=item.title,
        owner=item.owner,
        owner_name=None,
        owner_accepted=True,
        due=item.due,
        status=item.status,
        rag=rag(item.status, item.due, today),
        evidence=None,
        last_update=last_update,
        overdue_working_days=overdue_working_days(item.due, today),
        inspection=item.inspection,
        several=ref.inspection is not None,
    )


def _rows(owed: Owed, last: dict[int, datetime], tz: ZoneInfo) -> list[dict]:
    today = owed.today or owed.local_day
    blocks: list[dict] = []
    for item in owed.items[:MAX_ROWS]:
        when = last.get(item.action_id)
        view = _view(item, when.astimezone(tz) if when else None, today)
        blocks += [
            b.to_dict()
            for b in action_row_blocks(
                view, viewer_is_lead=False, viewer=owed.recipient, today=today, show_owner=False
            )
        ]
    rest = owed.items[MAX_ROWS:]
    if rest:
        refs = ", ".join(i.ref for i in rest[:60]) + (" …" if len(rest) > 60 else "")
        blocks.append(
            _section(f"…and {len(rest)} more: {refs}. `/ncpi mine` lists them all with buttons.")
        )
    return blocks


def _footer() -> list[dict]:
    return [b.to_dict() for b in dm_footer_blocks()]


def reminder_message(
    owed: Owed, *, last_updates: dict[int, datetime], tz: ZoneInfo
) -> dict[str, Any]:
    """`text` (notification fallback) and `blocks` for one owed reminder."""
    render = {
        Kind.PANEL: _panel,
        Kind.DUE: _due,
        Kind.ESCALATION: _escalation,
        Kind.DIGEST: _digest,
        Kind.READINESS: _readiness,
        Kind.MILESTONE: _milestone,
        Kind.REVIEW: lambda owed, last, tz: review_request(owed),
    }[Kind(owed.kind)]
    return render(owed, last_updates, tz)


def _panel(owed: Owed, last: dict[int, datetime], tz: ZoneInfo) -> dict[str, Any]:
    p = owed.panel
    assert p is not None and owed.today is not None
    n = (p.day - owed.today).days
    ref = f", {escape(p.paper_ref)}" if p.paper_ref else ""
    head = (
        f"The panel meets {in_days(n)} ({week_day(p.day)}{ref}). "
        f"Please update your {plural(len(owed.items), 'open action')}."
    )
    return {"text": head, "blocks": [_section(head), *_rows(owed, last, tz), *_footer()]}


def _due(owed: Owed, last: dict[int, datetime], tz: ZoneInfo) -> dict[str, Any]:
    items = owed.items
    if len(items) == 1:
        head = f"{items[0].ref} {escape(items[0].title)} is {items[0].note}. Please update it."
    else:
        overdue = sum(1 for i in items if i.note.startswith("overdue"))
        head = f"{len(items)} of your actions need an update"
        head += f" ({overdue} overdue)." if overdue else "."
    return {"text": head, "blocks": [_section(head), *_rows(owed, last, tz), *_footer()]}


def _escalation(owed: Owed, last: dict[int, datetime], tz: ZoneInfo) -> dict[str, Any]:
    (item,) = owed.items
    owner = f"<@{item.owner}>" if item.owner else "no owner"
    when = last.get(item.action_id)
    seen = f"last update {short_day(when.astimezone(tz).date())}" if when else "no update yet"
    text = (
        f"Escalation: {item.ref} {escape(item.title)} is {item.note}. "
        f"Owner {owner} · {status_label(item.status)} · {seen}."
    )
    return {
        "text": text,
        "blocks": [
            _section(f":rotating_light: *Escalation* — {text.removeprefix('Escalation: ')}"),
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": "Sent once per due date, when an action is first found "
                        f"{plural(ESCALATE_AFTER, 'working day')} or more past it. "
                        f"`/ncpi show {item.ref}` for its history.",
                    }
                ],
            },
        ],
    }


def _lines(items: list[OwedItem], *, with_owner: bool = True) -> str:
    out = []
    for i in items[:MAX_LINES]:
        who = (
            f" — <@{i.owner}>" if with_owner and i.owner else (" — no owner" if with_owner else "")
        )
        out.append(f"• *{i.ref}* {escape(i.title[:120])} — {i.note}{who}")
    if len(items) > MAX_LINES:
        out.append(f"…and {len(items) - MAX_LINES} more")
    return "\n".join(out)


def _digest(owed: Owed, last: dict[int, datetime], tz: ZoneInfo) -> dict[str, Any]:
    today = owed.today or owed.local_day
    head = f"Weekly digest · {week_day(today)}"
    counts = owed.reason.split(": ", 1)[-1]
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": head}},
        _section(counts[0].upper() + counts[1:] + "."),
    ]
    groups: dict[str, list[OwedItem]] = {}
    for i in owed.items:
        groups.setdefault(i.group, []).append(i)
    for group, items in groups.items():
        blocks.append(_section(f"*{group[0].upper()}{group[1:]}*\n{_lines(items)}"))
    if not groups:
        blocks.append(_section("Nothing outstanding, overdue or at risk. :white_check_mark:"))
    return {"text": f"{head}: {counts}", "blocks": blocks[:50]}


def _readiness(owed: Owed, last: dict[int, datetime], tz: ZoneInfo) -> dict[str, Any]:
    p = owed.panel
    assert p is not None
    ref = f" ({escape(p.paper_ref)})" if p.paper_ref else ""
    since = (
        f"the last panel ({week_day(p.previous_day)})"
        if p.previous_day
        else week_day(p.stale_since)
    )
    items = list(owed.items)
    if items:
        owners = sorted({i.owner for i in items if i.owner})
        head = (
            f"Panel {week_day(p.day)}{ref}: {plural(len(items), 'action')} "
            f"{'has' if len(items) == 1 else 'have'} had no update since {since}."
        )
        blocks = [
            _section(f"*Panel readiness* — {head}"),
            _section(_lines(items)),
            _section("Owners to chase: " + (", ".join(f"<@{o}>" for o in owners) or "none")),
        ]
    else:
        head = f"Panel {week_day(p.day)}{ref}: every open action has an update since {since}."
        blocks = [_section(f"*Panel readiness* — {head} :white_check_mark:")]
    return {"text": head, "blocks": blocks}


def _milestone(owed: Owed, last: dict[int, datetime], tz: ZoneInfo) -> dict[str, Any]:
    m = owed.milestone
    assert m is not None and owed.today is not None
    n = (m.day - owed.today).days if m.day else 0
    when = "today" if n == 0 else f"in {plural(n, 'day')}"
    head = f"{escape(m.inspection_code)}: {m.label} is due {when}, {week_day(m.day)} {m.day:%Y}."
    basis = f"{m.basis}." + (" A lead moved it from the computed day." if m.moved else "")
    return {
        "text": head,
        "blocks": [
            _section(f":calendar: *Milestone* — {head}"),
            {"type": "context", "elements": [{"type": "mrkdwn", "text": basis}]},
        ],
    }
