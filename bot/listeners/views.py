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
from bot.ids import INPUT, CallbackId
from bot.messages import notify, post_result_dm, refresh_origin
from bot.views.common import error_mrkdwn
from bot.views.modals import CALLBACKS, MAX_METADATA, confirm_note_modal, result_modal
from conversation.receipts import repeat_key, replay_key
from conversation.submitting import NotOurs, Unanswered, submitted
from models.errors import NcpiError
from models.people import plain
from models.tables import Source

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

    def answered(kind: str):
        """A form of `kind` (conversation/forms.py) submitted: what its answers ask for
        (conversation/submitting.py), made, or refused under the field it is about."""

        def handle(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
            actor = body["user"]["id"]
            meta = metadata(view)
            panel = values.panel_and_rec(meta.ref)[0] if kind == "review" else None
            try:
                sub = submitted(kind, form_values(view), ref=meta.ref, panel=panel)
            except Unanswered as e:
                ack(response_action="errors", errors={e.field: e.message})
                return
            except NotOurs as e:
                raise values.BadValue(e.why) from None
            try:
                reply = operations.execute(
                    deps,
                    actor=actor,
                    op=sub.op,
                    args=sub.args,
                    source=Source.MODAL,
                    hold_limit=MAX_METADATA - 200,
                    origin=meta.origin,
                    **form_keys(body, view, sub.args),
                )
            except NcpiError as e:
                message = error_mrkdwn(e, board=deps.settings.board_name)[:2000]
                ack(response_action="errors", errors={sub.under(e): message})
                return
            if reply.guarded:
                if reply.held is None:
                    ack(response_action="errors", errors={sub.at: reply.text})
                else:
                    view = confirm_note_modal(reply.text, reply.held, subject=reply.held_subject)
                    ack(response_action="push", view=view)
                return
            shown = reply.blocks[0].text.text if reply.blocks else reply.text
            ack(response_action="update", view=result_modal(sub.done, shown))
            refresh_origin(deps, client, actor, meta.origin, sub.args.get("ref"), reply)
            notify(client, deps, reply.notices)

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

    forms = {callback: answered(kind) for kind, callback in CALLBACKS.items()}
    forms[CallbackId.CONFIRM_NOTE] = handle_confirm
    for callback_id, handler in forms.items():
        app.view(callback_id)(refusing_bad_values(handler))
