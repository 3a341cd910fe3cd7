"""Action rows: one action with its buttons. Used by `mine`, `show`, App Home and every DM
about actions (reminders reuse `action_row_blocks`; keep its name and signature stable)."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import ActionsBlock, Block

from bot.ids import ActionId
from bot.views.common import button, context, mrkdwn, section
from conversation.wording import RAG_MARK as RAG_MARK  # its one home
from conversation.wording import row
from models.service import ActionView, Change, allowed_changes
from models.tables import Status

# Where a row was shown: after a click on an ephemeral message (no copy of it reaches us)
# the listener re-renders the same view; DMs and Home are updated from their blocks.


def row_text(v: ActionView, *, today: date | None = None, show_owner: bool = True) -> str:
    """`🟠 *R2.1* Title — due 12 Dec · at risk · last update 3 Nov · @owner`"""
    return mrkdwn(row(v, today=today, show_owner=show_owner))


# How each change the domain allows (service.allowed_changes) is drawn: label, id, style.
BUTTONS: dict[Change, tuple[str, ActionId, str | None]] = {
    Change.VERIFY: ("Verify", ActionId.VERIFY, "primary"),
    Change.RETURN: ("Return…", ActionId.RETURN, None),
    Change.ACCEPT: ("Accept", ActionId.ACCEPT, "primary"),
    Change.DECLINE: ("Decline…", ActionId.DECLINE, None),
    Change.ON_TRACK: ("On track", ActionId.ON_TRACK, None),
    Change.AT_RISK: ("At risk", ActionId.AT_RISK, None),
    Change.IMPLEMENTED: ("Implemented…", ActionId.IMPLEMENTED, None),
    Change.UPDATE: ("Update…", ActionId.UPDATE, None),
}


def row_buttons(v: ActionView, *, viewer_is_lead: bool, viewer: str | None = None) -> list:
    """The buttons an action row offers this viewer (may be empty): one per allowed change."""
    return [
        button(label, action_id, v.qualified_ref, style=style)
        for label, action_id, style in (
            BUTTONS[c] for c in allowed_changes(v, viewer=viewer, lead=viewer_is_lead)
        )
    ]


def action_row_blocks(
    view: ActionView,
    *,
    viewer_is_lead: bool,
    viewer: str | None = None,
    origin: str = "dm",
    today: date | None = None,
    show_owner: bool = True,
) -> list[Block]:
    """One action: a section line and (when this viewer can act) a row of buttons.
    At most two blocks. `origin` says where the row is shown (dm, mine, show, home or summary)."""
    blocks: list[Block] = [section(row_text(view, today=today, show_owner=show_owner))]
    buttons = row_buttons(view, viewer_is_lead=viewer_is_lead, viewer=viewer)
    if buttons:
        blocks.append(
            ActionsBlock(block_id=row_block_id(origin, view.qualified_ref), elements=buttons)
        )
    elif view.status == Status.IMPLEMENTED:
        blocks.append(
            context(
                "Implemented — waiting for a lead to verify.",
                block_id=row_block_id(origin, view.qualified_ref),
            )
        )
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
        ActionsBlock(
            block_id="snooze",
            elements=[button("Remind me next working day", ActionId.SNOOZE, "snooze")],
        ),
        context("Reply in this thread to add a note."),
    ]
