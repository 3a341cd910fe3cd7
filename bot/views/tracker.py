"""Replies to `mine`, `show`, `history`, `panel` and the one-line results of changes."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block, DividerBlock

from bot.views.actions import action_row_blocks
from bot.views.common import (
    MAX_MESSAGE_BLOCKS,
    clip,
    context,
    escape,
    header,
    mrkdwn,
    section,
    sections_from_lines,
    short_day,
)
from conversation import reads
from conversation.outcomes import Offer
from models.service import ActionView, PanelView
from models.tables import Update
from models.wording import noun, plural

# Two blocks per row: 20 rows + header, intro and "and N more" stay under 50.
MAX_ROWS_PER_MESSAGE = 20


def mine_blocks(
    actions: list[ActionView],
    *,
    viewer: str,
    viewer_is_lead: bool,
    today: date,
    max_rows: int = MAX_ROWS_PER_MESSAGE,
    note: str | None = None,
    offers: dict[str, list[Offer]] | None = None,
) -> list[Block]:
    """`offers`: each row's next steps, by qualified ref (a read's); else this viewer's."""
    if not actions:
        blocks: list[Block] = [section(f"{reads.NO_ACTIONS} :tada:")]
        if note:
            blocks.insert(0, context(note))
        return blocks
    blocks = [header(reads.mine_heading(actions))]
    if note:
        blocks.append(context(note))
    for a in actions[:max_rows]:
        blocks += action_row_blocks(
            a,
            viewer_is_lead=viewer_is_lead,
            viewer=viewer,
            origin="mine",
            today=today,
            show_owner=False,
            offers=_offers(offers, a),
        )
    if len(actions) > max_rows:
        blocks.append(
            context(f"…and {len(actions) - max_rows} more: see the bot's App Home for all of them.")
        )
    return blocks


def _offers(offers: dict[str, list[Offer]] | None, a: ActionView) -> list[Offer] | None:
    return None if offers is None else offers.get(a.qualified_ref, [])


def mine_text(actions: list[ActionView]) -> str:
    if not actions:
        return reads.NO_ACTIONS
    first = ", ".join(a.typed_ref for a in actions[:10])
    more = f" and {len(actions) - 10} more" if len(actions) > 10 else ""
    return f"{reads.mine_heading(actions)}: {first}{more}"


def show_blocks(
    a: ActionView,
    *,
    viewer: str,
    viewer_is_lead: bool,
    today: date,
    tz: ZoneInfo,
    note: str | None = None,
    latest: Update | None = None,
    offers: dict[str, list[Offer]] | None = None,
) -> list[Block]:
    """One action: its facts, the latest thing said about it (who, when), its evidence and
    the steps it offers (`offers`, by qualified ref; else this viewer's)."""
    facts = [f"*{label}:* {mrkdwn(value)}" for label, value in reads.facts(a, tz)]
    ref = a.typed_ref
    blocks: list[Block] = [header(reads.show_heading(a))]
    if len(a.title) + len(ref) + 1 > 150:  # the header is cut: the whole title below it
        blocks.append(section(f"*{ref}* {escape(clip(a.title, 2800))}"))
    blocks.append(section("\n".join(facts)))
    if note:
        blocks.insert(1, context(note))
    blocks += [section(mrkdwn(p)) for p in (reads.latest(a, latest, tz), reads.evidence(a)) if p]
    row = action_row_blocks(
        a,
        viewer_is_lead=viewer_is_lead,
        viewer=viewer,
        origin="show",
        today=today,
        offers=_offers(offers, a),
    )
    blocks += row[1:]
    blocks.append(context(mrkdwn(reads.history_hint(ref))))
    return blocks


def show_text(a: ActionView) -> str:
    return f"{a.typed_ref} {clip(escape(a.title), 200)} — due {short_day(a.due)} · {a.status_label}"


def _history_line(u: Update, tz: ZoneInfo, refs: dict[int, str] | None = None) -> str:
    line = mrkdwn(reads.history_line(u, tz, refs))
    return line + (f" _({u.source})_" if u.source else "")


def history_blocks(
    ref: str,
    updates: list[Update],
    *,
    tz: ZoneInfo,
    max_blocks: int = MAX_MESSAGE_BLOCKS,
    refs: dict[int, str] | None = None,
) -> list[Block]:
    blocks: list[Block] = [header(reads.history_heading(ref))]
    if not updates:
        return blocks + [section(reads.NOTHING_RECORDED)]
    lines = [_history_line(u, tz, refs) for u in updates]
    body, left = sections_from_lines(lines, max_blocks=max_blocks - 3)
    blocks += body
    if left:
        blocks.append(
            context(
                f"…and {left} later {noun(left, 'change')}: the panel paper and `ncpi-bot export` hold them all."
            )
        )
    blocks.append(context(reads.history_count(updates)))
    return blocks


def history_text(ref: str, updates: list[Update]) -> str:
    return f"{reads.history_heading(ref)}: {plural(len(updates), 'change')}"


def panel_blocks(
    panels: list[PanelView], *, tz: ZoneInfo, today: date, inspection: str | None = None
) -> list[Block]:
    """`inspection`: the code the hints name, when several inspections are tracked."""
    blocks: list[Block] = [header(reads.panels_heading(inspection))]
    upcoming = [p for p in panels if p.day >= today]
    past = [p for p in panels if p.day < today]
    if not panels:
        return blocks + [section(mrkdwn(reads.no_panels(today, inspection)))]
    lines = [mrkdwn(reads.panel_line(p, tz)) for p in upcoming] or [reads.NO_UPCOMING]
    body, left = sections_from_lines(lines, max_blocks=40)
    blocks += body
    if past:
        blocks.append(context(reads.earlier_panels(past)))
    blocks.append(DividerBlock())
    blocks.append(context(mrkdwn(reads.panels_hint(inspection))))
    return blocks


def done_blocks(text: str, *, detail: str | None = None) -> list[Block]:
    """A one-line result: `R2.1 is now at risk.`"""
    blocks: list[Block] = [section(text)]
    if detail:
        blocks.append(context(detail))
    return blocks
