"""Modal submissions. Slack wants input errors in the ack itself, so these read the form,
make the change (one short transaction) and then ack: with field errors, with the guardrail's
confirm view pushed on top, or with the result."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_bolt import Ack
from slack_sdk import WebClient

from bot import operations, pending, values
from bot.ids import INPUT, BlockId, CallbackId
from bot.messages import notify, post_result_dm, refresh_origin
from bot.views.common import error_mrkdwn
from bot.views.modals import MAX_METADATA, confirm_note_modal, result_modal
from conversation.forms import (
    CHOICE,
    FINDINGS_SECTIONS,
    NEW,
    WORDING,
    candidate_field,
    paragraph_field,
)
from conversation.receipts import repeat_key, replay_key
from models import service
from models.errors import DateOutOfRange, NcpiError
from models.people import plain
from models.tables import CLOSING_SECTIONS, PaperSection, Source, Status

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


def refusing_bad_values(handler: Callable[..., None]) -> Callable[..., None]:
    """A form whose metadata this bot did not write is answered in the form: not saved."""

    @functools.wraps(handler)
    def handle(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        try:
            handler(ack, body, view, client)
        except values.BadValue as e:
            log.warning("refused a form: %s", e.why)
            ack(response_action="update", view=result_modal("Not saved", e.message))

    return handle


def register(app: App, deps: Deps) -> None:
    hooks = values.hooks_for(deps.settings.slack_api_url)

    def metadata(view: dict) -> values.Metadata:
        return values.metadata(view, hooks=hooks)

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
        meta = metadata(view)
        try:
            reply = operations.execute(
                deps,
                actor=actor,
                op=op,
                args=args,
                source=Source.MODAL,
                hold_limit=MAX_METADATA - 200,
                origin=meta.origin,
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
        refresh_origin(deps, client, actor, meta.origin, args.get("ref"), reply)
        notify(client, deps, reply.notices)

    def handle_update(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        f = form_values(view)
        ref = metadata(view).ref or f.get(BlockId.ACTION)
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
            ref = metadata(view).ref
            if ref is None:
                raise values.BadValue("a form about one action that names none")
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

    def wording_form(op: str, key: str, among: tuple[PaperSection, ...], done: str):
        """A form of the paper's wording (a recommendation's, or the closing sections'):
        each section's fields in order, each split at blank lines; an emptied field leaves
        its paragraph out."""

        def handle(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
            f = form_values(view)
            args: dict = {key: metadata(view).ref}
            for s in among:
                fields = sorted(
                    (int(k.split(".")[1]), v)
                    for k, v in f.items()
                    if k.startswith(f"{s}.") and k.split(".")[1].isdigit()
                )
                fields.append((len(fields) + 1, f.get(paragraph_field(s, NEW))))
                args[str(s)] = [p for _, v in fields for p in service.split_paragraphs(v)]
            submit(ack, body, view, client, op, args, paragraph_field(among[0], NEW), done)

        return handle

    def handle_confirm(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        actor = body["user"]["id"]
        held_raw = metadata(view).held
        held = pending.decode(held_raw, hooks=hooks)
        try:
            reply = operations.apply_held(
                deps,
                actor=actor,
                held=held,
                source=Source.MODAL,  # confirmed in the form, whatever the value says
                **form_keys(body, view, held_raw),
            )
        except NcpiError as e:
            ack(
                response_action="update",
                view=result_modal("Not saved", error_mrkdwn(e, board=deps.settings.board_name)),
            )
            return
        ack(response_action="clear")
        post_result_dm(client, actor, reply)
        refresh_origin(deps, client, actor, held.origin, held.args.get("ref"), reply)
        notify(client, deps, reply.notices)

    def handle_review(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        """One recommendation's review: each candidate chosen (unchosen ones stay
        unreviewed), with its paper wording for an edit."""
        panel_id, _rec = values.panel_and_rec(metadata(view).ref)
        f = form_values(view)
        choices = []
        for block_id, value in f.items():
            kind, _, row = block_id.partition(".")
            if kind != CHOICE or not value or not row.isdigit():
                continue
            wording = f.get(candidate_field(WORDING, int(row)))
            choices.append({"update_id": int(row), "choice": value, "wording": wording})
        first = next((k for k in f if k.startswith(WORDING + ".")), CHOICE)
        args = {"panel_id": panel_id, "choices": choices}
        submit(ack, body, view, client, "review_set", args, first, "Review")

    forms = {
        CallbackId.UPDATE: handle_update,
        CallbackId.IMPLEMENTED: one_field_form("done", "evidence", BlockId.EVIDENCE, "Implemented"),
        CallbackId.RETURN: one_field_form("return", "reason", BlockId.REASON, "Returned"),
        CallbackId.DECLINE: one_field_form("decline", "reason", BlockId.REASON, "Declined"),
        CallbackId.ADD: handle_add,
        CallbackId.FINDINGS: wording_form(
            "findings_set", "rec", FINDINGS_SECTIONS, "Paper wording"
        ),
        CallbackId.CLOSING: wording_form(
            "closing_set", "inspection", CLOSING_SECTIONS, "Paper wording"
        ),
        CallbackId.REVIEW: handle_review,
        CallbackId.CONFIRM_NOTE: handle_confirm,
    }
    for callback_id, handler in forms.items():
        app.view(callback_id)(refusing_bad_values(handler))
