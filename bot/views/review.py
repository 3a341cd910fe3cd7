"""Block Kit for the leads' review of the draft paper before a panel: the DM asking for it,
the list of recommendations with paragraphs to review, one form per recommendation (each
candidate: include / edit / leave out, and its paper wording), and the App Home entry."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.ids import INPUT, ActionId, CallbackId
from bot.views.common import (
    MAX_MESSAGE_BLOCKS,
    button,
    clip,
    context,
    escape,
    header,
    mention,
    section,
)
from bot.views.modals import _modal
from models.paper.review import Candidate, Review
from models.planner import Owed
from models.service import MAX_PARAGRAPH
from models.tables import ReviewChoice
from models.wording import long_day, panel_name, plural

CHOICE, WORDING = "choice", "wording"  # a candidate's block ids: `choice.<row id>`
PER_FORM = 30  # candidates in one form: 3 blocks each, within Slack's 100
CHOICE_TEXT = {
    ReviewChoice.INCLUDE: "Include as said",
    ReviewChoice.EDIT: "Edit: print my wording",
    ReviewChoice.LEAVE_OUT: "Leave out",
}


def candidate_block(kind: str, update_id: int) -> str:
    return f"{kind}.{update_id}"


def review_button(panel_id: int, *, text: str = "Review the paper") -> Any:
    return button(text, ActionId.REVIEW_OPEN, str(panel_id), style="primary")


def review_request(owed: Owed) -> dict[str, Any]:
    """The DM to each lead, NCPI_REVIEW_DAYS working days before the panel."""
    p = owed.panel
    assert p is not None and owed.today is not None
    n = (p.day - owed.today).days
    since = (
        f"the last panel ({long_day(p.previous_day)})" if p.previous_day else "the tracker began"
    )
    head = (
        f"The panel meets in {plural(n, 'day')} ({escape(panel_name(p.day, p.paper_ref))}). "
        f"Please review the draft paper's progress since {since}: include, edit or leave out "
        "each paragraph."
    )
    return {
        "text": head,
        "blocks": [
            section(f":memo: *Review the paper* — {head}").to_dict(),
            ActionsBlock(elements=[review_button(p.id)]).to_dict(),
            context(
                "What you leave unreviewed goes into the draft marked [Unreviewed] for the "
                "author. `/ncpi review` opens this again; App Home has it too."
            ).to_dict(),
        ],
    }


def _counts(cs: list[Candidate]) -> str:
    left = sum(1 for c in cs if c.choice is None)
    return (
        f"{plural(len(cs), 'paragraph')}, {left} unreviewed"
        if left
        else (f"{plural(len(cs), 'paragraph')}, all reviewed")
    )


def review_blocks(review: Review) -> list[Block]:
    """The recommendations with paragraphs to review, a button each."""
    blocks: list[Block] = [
        header(f"Review the paper for {panel_name(review.panel_day, review.paper_ref)}")
    ]
    groups = review.by_rec()
    since = f"the last panel ({long_day(review.since)})" if review.since else "the tracker began"
    if not groups:
        blocks.append(section(f"Nobody has said anything since {since}: nothing to review."))
        return blocks
    blocks.append(
        section(
            f"{plural(len(review.candidates), 'paragraph')} of progress since {since}; "
            f"{len(review.unreviewed)} unreviewed. Unreviewed ones go into the draft marked "
            "[Unreviewed] for the author."
        )
    )
    room = MAX_MESSAGE_BLOCKS - len(blocks) - 1
    for i, (rec, cs) in enumerate(groups.items()):
        if i == room:
            blocks.append(context(f"…and {len(groups) - room} more: `/ncpi review R<n>`."))
            break
        title = escape(clip(review.titles.get(rec, ""), 200))
        blocks.append(
            section(
                f"*{rec}* {title} — {_counts(cs)}",
                accessory=button(f"Review {rec}", ActionId.REVIEW_REC, f"{review.panel_id}|{rec}"),
            )
        )
    return blocks


def review_text(review: Review) -> str:
    return (
        f"Review the paper for {panel_name(review.panel_day, review.paper_ref)}: "
        f"{plural(len(review.candidates), 'paragraph')}, {len(review.unreviewed)} unreviewed"
    )


def _options(c: Candidate) -> list[Option]:
    choices = [ReviewChoice.EDIT, ReviewChoice.LEAVE_OUT] if c.withheld else list(ReviewChoice)
    return [Option(value=str(ch), text=CHOICE_TEXT[ch]) for ch in choices]


def _said(c: Candidate) -> str:
    who = f"{escape(c.who)}, {long_day(c.day)}"
    if c.withheld:
        return (
            f":lock: *{escape(c.ref)}* ({who}) — kept against the personal-data check, so it is "
            f"never printed as written. Rewrite it as paper wording, or leave it out:\n"
            f">{escape(clip(c.said, 2500))}"
        )
    return f"*{escape(c.ref)}* ({who})\n>{escape(clip(c.said, 2700))}"


def review_modal(review: Review, rec: str) -> View:
    """One recommendation's candidates: a choice and a paper-wording field each."""
    cs = sorted(review.of(rec), key=lambda c: c.choice is not None)[:PER_FORM]  # unreviewed first
    title = escape(clip(review.titles.get(rec, ""), 200))
    blocks: list[Block] = [
        section(
            f"*{rec}* {title} — for the panel on "
            f"{escape(panel_name(review.panel_day, review.paper_ref))}"
        )
    ]
    if not cs:
        blocks.append(section("Nothing has been said on it since the last panel."))
        return _modal(CallbackId.REVIEW, f"Review {rec}", blocks, submit=None, close="Close")
    for c in cs:
        done = (
            f" · reviewed by {mention(c.reviewed_by)}: {c.choice.label}"
            if c.choice and c.reviewed_by
            else ""
        )
        blocks.append(section(_said(c) + done))
        options = _options(c)
        initial = next((o for o in options if c.choice and o.value == str(c.choice)), None)
        blocks.append(
            InputBlock(
                block_id=candidate_block(CHOICE, c.update_id),
                label=PlainTextObject(text=f"{c.ref}: in the paper"),
                optional=True,
                element=StaticSelectElement(
                    action_id=INPUT, options=options, initial_option=initial
                ),
            )
        )
        blocks.append(
            InputBlock(
                block_id=candidate_block(WORDING, c.update_id),
                label=PlainTextObject(text="Paper wording (for Edit)"),
                optional=True,
                element=PlainTextInputElement(
                    action_id=INPUT,
                    multiline=True,
                    initial_value=clip(c.initial_wording, MAX_PARAGRAPH) or None,
                    max_length=MAX_PARAGRAPH,
                ),
            )
        )
    more = len(review.of(rec)) - len(cs)
    blocks.append(
        context(
            "Edit changes the paper's wording only: the note stays in history as it was said. "
            "Left unchosen: unreviewed, marked for the author. No personal details."
            + (f" Save, then open it again for the other {more}." if more > 0 else "")
        )
    )
    return _modal(
        CallbackId.REVIEW,
        f"Review {rec}",
        blocks,
        submit="Save",
        metadata={"ref": f"{review.panel_id}|{rec}"},
    )


def review_home_blocks(due: list[tuple[int, date, str | None]]) -> list[Block]:
    """App Home, for a lead while a review is open: (panel id, day, paper ref) each."""
    blocks: list[Block] = []
    for panel_id, day, paper_ref in due:
        blocks.append(header(f"Review the paper for {panel_name(day, paper_ref)}"))
        blocks.append(
            section(
                "Include, edit or leave out each paragraph of progress since the last panel.",
                accessory=review_button(panel_id),
            )
        )
    return blocks
