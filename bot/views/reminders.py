"""Block Kit for reminders: panel countdown and due-date DMs (with one-click buttons),
escalations, the weekly lead digest, the panel readiness note, milestone notes and the
review request. What each says is the conversation's (conversation/reminders.py); here are
its layout, Slack's markup and Slack's limits.

Action rows and the DM footer are the shared ones (bot/views/actions.py), so a click on a
reminder row is handled, and the row updated in place, exactly as everywhere else.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.views.actions import action_row_blocks, dm_footer_blocks
from bot.views.common import MAX_MESSAGE_BLOCKS, escape, mrkdwn
from bot.views.review import review_request
from conversation import reminders
from conversation.said import Said
from models.planner import Kind, Owed

MAX_ROWS = 20  # action rows with buttons in one DM (2 blocks each; Slack allows 50 blocks)
MAX_LINES = 40  # bullet lines per digest section
SECTION_TEXT = 2900  # Slack's section limit is 3000 characters
EMOJI = {Kind.ESCALATION: ":rotating_light:", Kind.MILESTONE: ":calendar:"}
ALL_CLEAR = " :white_check_mark:"


def _section(text: str) -> dict[str, Any]:
    if len(text) > SECTION_TEXT:
        text = text[: SECTION_TEXT - 1] + "…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(s: Said) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn(s)}]}


def reminder_message(
    owed: Owed, *, last_updates: dict[int, datetime], tz: ZoneInfo
) -> dict[str, Any]:
    """`text` (notification fallback) and `blocks` for one owed reminder."""
    r = reminders.says(owed, last_updates=last_updates, tz=tz)
    if r.kind == Kind.REVIEW:
        return review_request(r)
    blocks: list[dict] = []
    if r.title:
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": r.title}})
    texts = [_labelled(r), *(_lines(g) for g in r.groups), *(mrkdwn(s) for s in r.after)]
    if r.done:
        texts[-1] += ALL_CLEAR
    blocks.append(_section(texts[0]))
    blocks += _rows(owed, r)
    blocks += [_section(t) for t in texts[1:]]
    if r.small:
        blocks.append(_context(r.small))
    if r.footer:
        blocks += [b.to_dict() for b in dm_footer_blocks()]
    return {"text": mrkdwn(r.text), "blocks": blocks[:MAX_MESSAGE_BLOCKS]}


def _labelled(r: reminders.Reminder) -> str:
    """`:rotating_light: *Escalation* — …`: the head, after what it is when it is named."""
    if not r.label:
        return mrkdwn(r.head)
    emoji = f"{EMOJI[Kind(r.kind)]} " if r.kind in EMOJI else ""
    return f"{emoji}*{escape(r.label)}* — {mrkdwn(r.head)}"


def _lines(g: reminders.Lines) -> str:
    lines = [mrkdwn(s) for s in g.lines[:MAX_LINES]]
    if len(g.lines) > MAX_LINES:
        lines.append(mrkdwn(reminders.more_lines(len(g.lines) - MAX_LINES)))
    name = f"*{escape(g.name)}*\n" if g.name else ""
    return name + "\n".join(lines)


def _rows(owed: Owed, r: reminders.Reminder) -> list[dict]:
    today = owed.today or owed.local_day
    blocks: list[dict] = []
    for view in r.rows[:MAX_ROWS]:
        blocks += [
            b.to_dict()
            for b in action_row_blocks(
                view, viewer_is_lead=False, viewer=owed.recipient, today=today, show_owner=False
            )
        ]
    if len(r.rows) > MAX_ROWS:
        blocks.append(_section(mrkdwn(reminders.more_rows(owed.items[MAX_ROWS:]))))
    return blocks
