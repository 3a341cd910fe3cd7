"""The prompts the bot posts in conversation: the guardrail's confirm/rewrite, which action
a thread reply is for. (The messages that follow a change are its outcome's `Tell`s,
rendered in bot/render.py.)"""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block

from bot.ids import ActionId
from bot.views.common import button, context, escape, section
from models.service import ActionView

# What the confirm and rewrite buttons say, by what is held: a note, or a date in the past.
CONFIRM_LABELS = {"note": ("Keep as written", "Rewrite"), "date": ("Keep this date", "Change it")}


def guardrail_blocks(prompt: str, held: str | None, *, subject: str = "note") -> list[Block]:
    """Confirm/rewrite. `held` (the pending change, encoded) travels in the button value;
    nothing is stored until Confirm is clicked. No `held`: the note is too long to carry."""
    blocks: list[Block] = [section(":warning: " + escape(prompt), block_id="guardrail")]
    if held is None:
        blocks.append(context("Please rewrite it without personal details and send it again."))
        return blocks
    keep, rewrite = CONFIRM_LABELS[subject]
    blocks.append(
        ActionsBlock(
            block_id="guardrail_buttons",
            elements=[
                button(keep, ActionId.CONFIRM_NOTE, held, style="danger"),
                button(rewrite, ActionId.REWRITE_NOTE, "rewrite" if subject == "note" else subject),
            ],
        )
    )
    return blocks


def pick_action_blocks(actions: list[ActionView], held: list[str]) -> list[Block]:
    """A thread reply under a DM about several actions: which one is it for?
    `held[i]` is the encoded note for `actions[i]`."""
    buttons = [
        button(a.typed_ref, ActionId.PICK_ACTION, h) for a, h in zip(actions, held, strict=True)
    ][:25]
    return [
        section("Which action is this note for?"),
        ActionsBlock(block_id="pick_action", elements=buttons),
        context("Nothing is saved until you choose."),
    ]
