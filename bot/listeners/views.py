"""Modal submissions. Slack wants input errors in the ack itself, so these read the form,
make the change (one short transaction) and then ack: with field errors, with the guardrail's
confirm view pushed on top, or with the result."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from slack_bolt import Ack
from slack_sdk import WebClient

from bot import operations, pending
from bot.ids import INPUT, BlockId, CallbackId
from bot.messages import notify, post_result_dm, refresh_origin
from bot.receipts import repeat_key, replay_key
from bot.views.common import error_mrkdwn
from bot.views.modals import MAX_METADATA, confirm_note_modal, result_modal
from models.errors import DateOutOfRange, NcpiError
from models.people import plain
from models.tables import Source, Status

if TYPE_CHECKING:
    from slack_bolt import App

    from bot.deps import Deps

log = logging.getLogger(__name__)


def form_values(view: dict) -> dict[str, str | None]:
    """{block id: the value typed, picked or chosen} for every input in the view."""
    out: dict[str, str | None] = {}
    for block_id, inputs in ((view.get("state") or {}).get("values") or {}).items():
        v = inputs.get(INPUT) or next(iter(inputs.values()), {})
        value = (
            v.get("value")
            or (v.get("selected_option") or {}).get("value")
            or v.get("selected_user")
            or v.get("selected_date")
        )
        value = plain(value).strip() if isinstance(value, str) else None
        out[block_id] = value or None
    return out


def form_keys(body: dict, view: dict, what: object) -> dict[str, str | None]:
    """The same form submitted again carries the same view id and hash (a retry, a replay,
    a double click on Submit); the same answers sent twice is a double submit."""
    return {
        "repeat": repeat_key("form", body["user"]["id"], view.get("callback_id"), what),
        "replay": replay_key("view", view.get("id"), view.get("hash")),
    }


def register(app: App, deps: Deps) -> None:
    def submit(
        ack: Ack,
        body: dict,
        view: dict,
        client: WebClient,
        op: str,
        args: dict,
        error_block: str,
        title: str,
    ) -> None:
        actor = body["user"]["id"]
        meta = json.loads(view.get("private_metadata") or "{}")
        try:
            reply = operations.execute(
                deps,
                actor=actor,
                op=op,
                args=args,
                source=Source.MODAL,
                hold_limit=MAX_METADATA - 200,
                hold_extra={"origin": meta.get("origin")},
                **form_keys(body, view, args),
            )
        except NcpiError as e:
            # a date the tracker does not take is shown under the date picked
            block = (
                BlockId.DUE if isinstance(e, DateOutOfRange) and args.get("due") else error_block
            )
            ack(
                response_action="errors",
                errors={block: error_mrkdwn(e, board=deps.settings.board_name)[:2000]},
            )
            return
        if reply.guarded:
            if reply.held is None:
                ack(response_action="errors", errors={error_block: reply.text})
            else:
                view = confirm_note_modal(reply.text, reply.held, subject=reply.held_subject)
                ack(response_action="push", view=view)
            return
        ack(
            response_action="update",
            view=result_modal(title, reply.blocks[0].text.text if reply.blocks else reply.text),
        )
        refresh_origin(deps, client, actor, meta.get("origin"), args.get("ref"), reply)
        notify(client, deps, reply.notices)

    def handle_update(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        f = form_values(view)
        ref = json.loads(view.get("private_metadata") or "{}").get("ref") or f.get(BlockId.ACTION)
        status = f.get(BlockId.STATUS)
        if status == Status.IMPLEMENTED:
            evidence = f.get(BlockId.EVIDENCE) or f.get(BlockId.NOTE)
            if not evidence:
                ack(
                    response_action="errors",
                    errors={
                        BlockId.EVIDENCE: "Add the evidence: a link, or a short note of what shows it is done."
                    },
                )
                return
            args = {"ref": ref, "evidence": evidence}
            submit(ack, body, view, client, "done", args, BlockId.EVIDENCE, "Implemented")
            return
        args = {
            "ref": ref,
            "status": status,
            "note": f.get(BlockId.NOTE),
            "evidence": f.get(BlockId.EVIDENCE),
        }
        submit(ack, body, view, client, "update", args, BlockId.NOTE, "Updated")

    def one_field_form(op: str, key: str, block: BlockId, done: str):
        """A form about one action (its ref in private_metadata) with one text field."""

        def handle(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
            ref = json.loads(view.get("private_metadata") or "{}").get("ref")
            args = {"ref": ref, key: form_values(view).get(block)}
            submit(ack, body, view, client, op, args, block, done)

        return handle

    def handle_add(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        f = form_values(view)
        rec = f.get(BlockId.REC)
        if not rec:
            ack(
                response_action="errors",
                errors={BlockId.REC: "Choose the recommendation, e.g. R2."},
            )
            return
        args = {
            "rec": rec,
            "title": f.get(BlockId.TITLE) or "",
            "owner": f.get(BlockId.OWNER),
            "due": f.get(BlockId.DUE),
        }
        submit(ack, body, view, client, "add", args, BlockId.TITLE, "Action added")

    def handle_confirm(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        actor = body["user"]["id"]
        held_raw = json.loads(view.get("private_metadata") or "{}").get("held")
        held = pending.decode(held_raw)
        try:
            reply = operations.apply_held(
                deps, actor=actor, held=held_raw, **form_keys(body, view, held_raw)
            )
        except NcpiError as e:
            ack(
                response_action="update",
                view=result_modal("Not saved", error_mrkdwn(e, board=deps.settings.board_name)),
            )
            return
        ack(response_action="clear")
        post_result_dm(client, actor, reply)
        refresh_origin(deps, client, actor, held.get("origin"), held["args"].get("ref"), reply)
        notify(client, deps, reply.notices)

    app.view(CallbackId.UPDATE)(handle_update)
    app.view(CallbackId.IMPLEMENTED)(
        one_field_form("done", "evidence", BlockId.EVIDENCE, "Implemented")
    )
    app.view(CallbackId.RETURN)(one_field_form("return", "reason", BlockId.REASON, "Returned"))
    app.view(CallbackId.DECLINE)(one_field_form("decline", "reason", BlockId.REASON, "Declined"))
    app.view(CallbackId.ADD)(handle_add)
    app.view(CallbackId.CONFIRM_NOTE)(handle_confirm)
