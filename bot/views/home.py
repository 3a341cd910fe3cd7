"""App Home: the viewer's open actions with buttons; for leads, the summary on top, and above
it the panel paper to review while a review is open."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import Block, DividerBlock
from slack_sdk.models.views import View

from bot.views.actions import action_row_blocks
from bot.views.common import MAX_VIEW_BLOCKS, context, header, section
from bot.views.review import review_home_blocks
from bot.views.summary import summary_blocks
from models.service import ActionView, Summary

LEAD_SUMMARY_BLOCKS = 30


def home_view(
    *,
    viewer: str,
    viewer_is_lead: bool,
    mine: list[ActionView],
    summary: Summary | None,
    today: date,
    verify_queue: list[ActionView] | None = None,
    max_blocks: int = MAX_VIEW_BLOCKS,
    reviews: list[tuple[int, date, str | None]] | None = None,
) -> View:
    blocks: list[Block] = review_home_blocks(reviews or [])
    if blocks:
        blocks.append(DividerBlock())
    if summary is not None:
        blocks += summary_blocks(
            summary, viewer_is_lead=viewer_is_lead, max_blocks=LEAD_SUMMARY_BLOCKS, in_home=True
        )
        blocks.append(DividerBlock())
    budget = max_blocks - len(blocks)
    queue = verify_queue or []
    if queue:
        budget -= _rows(
            blocks,
            "Waiting for you to verify",
            queue,
            viewer,
            viewer_is_lead,
            today,
            budget // 3,
            origin="home",
        )
    budget = max_blocks - len(blocks)
    _rows(blocks, "Your open actions", mine, viewer, viewer_is_lead, today, budget, origin="home")
    return View(type="home", blocks=blocks[:max_blocks])


def _rows(
    blocks: list[Block],
    title: str,
    actions: list[ActionView],
    viewer: str,
    viewer_is_lead: bool,
    today: date,
    budget: int,
    *,
    origin: str,
) -> int:
    start = len(blocks)
    blocks.append(header(f"{title} ({len(actions)})"))
    if not actions:
        blocks.append(section("Nothing here. :tada:"))
        return len(blocks) - start
    shown = 0
    for a in actions:
        row = action_row_blocks(
            a,
            viewer_is_lead=viewer_is_lead,
            viewer=viewer,
            origin=origin,
            today=today,
            show_owner=title != "Your open actions",
        )
        if len(blocks) - start + len(row) + 1 > budget - 1:
            break
        blocks += row
        shown += 1
    if shown < len(actions):
        if actions[0].several:  # a paper per inspection
            codes = sorted({a.inspection for a in actions})
            papers = ", ".join(f"`/ncpi report {c}`" for c in codes)
            where = f"the panel papers ({papers}) list every action"
        else:
            where = "the panel paper (`/ncpi report`) lists every action"
        blocks.append(context(f"…and {len(actions) - shown} more: {where}."))
    return len(blocks) - start
