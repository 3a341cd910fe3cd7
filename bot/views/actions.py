"""Action rows: one action with its buttons. Used by `mine`, `show`, App Home and every DM
about actions (reminders reuse `action_row_blocks`; keep its name and signature stable)."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import ActionsBlock, Block

from bot.ids import ActionId
from bot.views.common import button, context, mrkdwn, section
from conversation import reminders
from conversation.outcomes import Offer
from conversation.wording import RAG_MARK as RAG_MARK  # its one home
from conversation.wording import row, row_offers, row_waiting
from models.service import ActionView, Change

# Where a row was shown: after a click on an ephemeral message (no copy of it reaches us)
# the listener re-renders the same view; DMs and Home are updated from their blocks.


def row_text(v: ActionView, *, today: date | None = None, show_owner: bool = True) -> str:
    """`🟠 *R2.1* Title — due 12 Dec · at risk · last update 3 Nov · @owner`"""
    return mrkdwn(row(v, today=today, show_owner=show_owner))


# Each step the conversation offers (its intent: a change, conversation.wording.STEPS, or a
# summary's) is the button with this action id; what the button says and carries is the offer's.
INTENTS: dict[str, ActionId] = {
    Change.VERIFY: ActionId.VERIFY,
    Change.RETURN: ActionId.RETURN,
    Change.ACCEPT: ActionId.ACCEPT,
    Change.DECLINE: ActionId.DECLINE,
    Change.ON_TRACK: ActionId.ON_TRACK,
    Change.AT_RISK: ActionId.AT_RISK,
    Change.IMPLEMENTED: ActionId.IMPLEMENTED,
    Change.UPDATE: ActionId.UPDATE,
    "post_summary": ActionId.POST_SUMMARY,
    "draft_report": ActionId.DRAFT_REPORT,
    "snooze": ActionId.SNOOZE,
    "review_open": ActionId.REVIEW_OPEN,
}


def offer_button(o: Offer):  # a slack_sdk ButtonElement
    return button(o.label, INTENTS[o.intent], o.value, style=o.style)


def action_row_blocks(
    view: ActionView,
    *,
    viewer_is_lead: bool,
    viewer: str | None = None,
    origin: str = "dm",
    today: date | None = None,
    show_owner: bool = True,
    offers: list[Offer] | None = None,
) -> list[Block]:
    """One action: a section line and (when this viewer can act) a row of buttons, one per
    step offered (`offers`, else what the conversation offers this viewer), or the line
    saying whom it waits on. At most two blocks. `origin` says where the row is shown (dm,
    mine, show or home)."""
    blocks: list[Block] = [section(row_text(view, today=today, show_owner=show_owner))]
    if offers is None:
        offers = row_offers(view, viewer=viewer, lead=viewer_is_lead)
    block_id = row_block_id(origin, view.qualified_ref)
    waiting = row_waiting(view, offers)
    if offers:
        blocks.append(ActionsBlock(block_id=block_id, elements=[offer_button(o) for o in offers]))
    elif waiting:
        blocks.append(context(mrkdwn(waiting), block_id=block_id))
    return blocks


def row_block_id(origin: str, ref: str) -> str:
    return f"row|{origin}|{ref}"


def parse_row_block_id(block_id: str | None) -> tuple[str, str] | None:
    """`row|mine|R2.1` → ("mine", "R2.1")."""
    if not block_id or not block_id.startswith("row|"):
        return None
    parts = block_id.split("|")
    return (parts[1], parts[2]) if len(parts) == 3 else None


def recorded_block(ref: str, text: str) -> Block:
    """What replaces a row's buttons after a click: `✔︎ R2.1 — on track, recorded 09:14 by you`.
    `text` is the bot's own result line (no user text)."""
    return context(f"✔︎ {text}", block_id=f"done|{ref}")


def replace_row(
    blocks: list[dict], ref: str | None, new_block: Block, *, block_id: str | None = None
) -> list[dict] | None:
    """The message's blocks with the buttons for `ref` (or the block `block_id`) swapped for
    `new_block`. A row is recognised by its block id (`row|origin|ref`) or, for rows drawn
    elsewhere, by an actions block whose buttons carry `ref` as their value. None: not found."""
    out, found = [], False
    for b in blocks:
        parsed = parse_row_block_id(b.get("block_id"))
        carries_ref = (
            ref is not None
            and b.get("type") == "actions"
            and any((e or {}).get("value") == ref for e in b.get("elements") or [])
        )
        if (
            (ref and parsed and parsed[1] == ref)
            or carries_ref
            or (block_id and b.get("block_id") == block_id)
        ):
            out.append(new_block.to_dict())
            found = True
        else:
            out.append(b)
    return out if found else None


def dm_footer_blocks() -> list[Block]:
    """The close of every reminder DM: snooze, and where to reply."""
    return [
        ActionsBlock(block_id="snooze", elements=[offer_button(reminders.SNOOZE)]),
        context(mrkdwn(reminders.REPLY)),
    ]
