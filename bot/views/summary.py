"""`/ncpi summary`: one line per recommendation (DESIGN.md's sketch), and one recommendation
in detail (`summary R2`)."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import ActionsBlock, Block, DividerBlock

from bot.views.actions import RAG_MARK, offer_button, row_text
from bot.views.common import (
    MAX_MESSAGE_BLOCKS,
    MAX_SECTION,
    clip,
    context,
    escape,
    header,
    mention,
    mrkdwn,
    section,
    sections_from_lines,
)
from conversation import reads
from conversation.outcomes import Offer
from conversation.plain import summary_text
from conversation.reads import target_text
from conversation.wording import summary_offers
from models.kinds import headings
from models.service import RecView, Summary
from models.tables import status_label
from models.wording import noun, overdue_by

REC_TITLE_LIMIT = 120


def head_line(s: Summary) -> str:
    return mrkdwn(reads.summary_head(s))


def counts_line(s: Summary) -> str:
    """Every open action counted once (the parts add up to the whole)."""
    return mrkdwn(reads.summary_counts(s))


def rec_line(r: RecView, *, ping: bool, today: date | None = None) -> str:
    counts = " ".join(f"{RAG_MARK[k]} {v}" for k, v in r.rag_counts.items()) or "no open actions"
    under = f" (under {r.cause})" if r.cause else ""
    line = f"*{r.ref}*{under} {escape(clip(r.title, REC_TITLE_LIMIT))} — {status_label(r.status)} · {counts}"
    target = target_text(r, today) if today else ""
    if target:
        line += f" · {target}"
    worst = r.worst_overdue
    if worst is not None:
        who = mention(worst.owner, worst.owner_name, ping=ping)
        line += f" — {worst.typed_ref} {overdue_by(worst.overdue_working_days)} ({who})"
        if r.overdue_count > 1:
            line += f" and {r.overdue_count - 1} more overdue"
    return line


def summary_blocks(
    s: Summary,
    *,
    viewer_is_lead: bool,
    posted: bool = False,
    max_blocks: int = MAX_MESSAGE_BLOCKS,
    in_home: bool = False,
    offers: list[Offer] | None = None,
) -> list[Block]:
    """The summary in at most `max_blocks` blocks, whatever the tracker's size, with the
    steps it offers (`offers`, a read's; else the conversation's for this viewer). In App
    Home there is no channel to post to, so no [Post to channel]."""
    blocks: list[Block] = [
        header(f"{s.inspection_code} action tracker"),
        section(head_line(s)),
        section(counts_line(s)),
    ]
    outstanding = s.outstanding
    lines = [
        (f"*{h}*\n" if h else "") + rec_line(r, ping=not posted, today=s.today)
        for h, r in zip(headings([r.kind for r in outstanding]), outstanding, strict=True)
    ]
    if s.milestones:
        blocks.append(section(milestones_text(s)))
    signed = signed_off_line(s)
    tail: list[Block] = []
    if signed:
        tail.append(context(signed))
    if offers is None:
        offers = summary_offers(s, lead=viewer_is_lead, posted=posted, channel=not in_home)
    if offers:
        buttons = [offer_button(o) for o in offers]
        tail.append(ActionsBlock(block_id="summary_buttons", elements=buttons))
    room = max_blocks - len(blocks) - len(tail) - 1  # one for "and N more"
    rec_blocks, left = sections_from_lines(lines, max_blocks=room)
    blocks += rec_blocks
    if left:
        blocks.append(
            context(
                f"…and {left} more {noun(left, 'recommendation')}: see the bot's App Home or `{report_command(s)}`."
            )
        )
    return blocks + tail


def milestones_text(s: Summary) -> str:
    """The inspection's milestones, each with its day and where that day comes from."""
    lines = [mrkdwn(reads.milestones_heading(s))]
    for m in s.milestones:
        lines.append(mrkdwn(reads.milestone_line(m, s.today)) + f"_{escape(m.basis)}_")
    return clip("\n".join(lines), MAX_SECTION)


def signed_off_line(s: Summary) -> str:
    return clip(reads.signed_off(s), 2000)


def report_command(s: Summary) -> str:
    """The command that drafts this inspection's paper, as the bot takes it."""
    return f"/ncpi report {s.inspection_code}" if s.several else "/ncpi report"


def summary_fallback(s: Summary) -> str:
    return clip(escape(summary_text(s)), MAX_SECTION)


def rec_detail_blocks(
    s: Summary, *, max_blocks: int = MAX_MESSAGE_BLOCKS, posted: bool = False
) -> list[Block]:
    """`summary R2`: the recommendation, its status, and one line per action."""
    r = s.recs[0]
    blocks: list[Block] = [header(reads.rec_heading(s, r)), section(mrkdwn(reads.rec_status(s, r)))]
    if r.sub_points:
        blocks.append(section("\n".join(f"• {escape(p)}" for p in r.sub_points)))
    blocks.append(DividerBlock())
    if not r.actions:
        blocks.append(section(mrkdwn(reads.rec_no_actions(s, r))))
        return blocks
    lines = [row_text(a, today=s.today, show_owner=True) for a in r.actions]
    if posted:
        lines = [
            row_text(a, today=s.today, show_owner=False)
            + f" · {mention(a.owner, a.owner_name, ping=False)}"
            for a in r.actions
        ]
    room = max_blocks - len(blocks) - 2
    action_blocks, left = sections_from_lines(lines, max_blocks=room)
    blocks += action_blocks
    if left:
        blocks.append(context(mrkdwn(reads.more_actions(left, report_command(s)))))
    blocks.append(context(mrkdwn(reads.rec_hint(r.actions[0].typed_ref))))
    return blocks


def milestone_blocks(s: Summary) -> list[Block]:
    """`/ncpi milestone`: the milestones alone, and how a lead moves one."""
    return [
        header(reads.milestones_title(s)),
        section(milestones_text(s) if s.milestones else reads.NO_MILESTONES),
        context(mrkdwn(reads.MILESTONES_HINT)),
    ]
