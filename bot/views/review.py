"""Block Kit for the leads' review of the draft paper before a panel: the DM asking for it,
the list of recommendations with paragraphs to review, one form per recommendation (each
candidate: include / edit / leave out, and its paper wording), and the App Home entry."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
)
from slack_sdk.models.views import View

from bot.ids import ActionId
from bot.views.actions import offer_button
from bot.views.common import (
    MAX_MESSAGE_BLOCKS,
    button,
    context,
    escape,
    header,
    mrkdwn,
    section,
)
from bot.views.modals import form_view
from conversation import forms, reads
from conversation.forms import PER_FORM
from conversation.reminders import REVIEW, Reminder
from models.paper.review import Review
from models.wording import panel_name, plural

# A form holds forms.PER_FORM candidates: 3 blocks each, within Slack's 100.
__all__ = ["PER_FORM", "review_modal"]


def review_button(panel_id: int, *, text: str = REVIEW) -> Any:
    return button(text, ActionId.REVIEW_OPEN, str(panel_id), style="primary")


def review_request(r: Reminder) -> dict[str, Any]:
    """The DM to each lead, NCPI_REVIEW_DAYS working days before the panel: what the
    conversation says of it (conversation.reminders), drawn with the view helpers."""
    assert r.small is not None
    return {
        "text": mrkdwn(r.text),
        "blocks": [
            section(f":memo: *{escape(REVIEW)}* — {mrkdwn(r.head)}").to_dict(),
            ActionsBlock(elements=[offer_button(o) for o in r.offers]).to_dict(),
            context(mrkdwn(r.small)).to_dict(),
        ],
    }


def review_blocks(review: Review) -> list[Block]:
    """The recommendations with paragraphs to review, a button each."""
    blocks: list[Block] = [header(reads.review_heading(review))]
    groups = review.by_rec()
    blocks.append(section(reads.review_intro(review)))
    if not groups:
        return blocks
    room = MAX_MESSAGE_BLOCKS - len(blocks) - 1
    for i, (rec, cs) in enumerate(groups.items()):
        if i == room:
            blocks.append(context(f"…and {len(groups) - room} more: `/ncpi review R<n>`."))
            break
        blocks.append(
            section(
                mrkdwn(reads.review_rec(review, rec, cs)),
                accessory=button(
                    reads.review_label(rec), ActionId.REVIEW_REC, f"{review.panel_id}|{rec}"
                ),
            )
        )
    return blocks


def review_text(review: Review) -> str:
    return (
        f"{reads.review_heading(review)}: "
        f"{plural(len(review.candidates), 'paragraph')}, {len(review.unreviewed)} unreviewed"
    )


def review_modal(review: Review, rec: str) -> View:
    """One recommendation's candidates: a choice and a paper-wording field each."""
    return form_view(forms.review(review, rec))


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
