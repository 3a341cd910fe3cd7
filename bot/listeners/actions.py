"""Buttons. Each acks first, makes its one change, then updates the clicked message in place
(or opens a modal), then sends any DMs that follow the change."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot import operations, pending, router, values
from bot.ids import ActionId
from bot.listeners.errors import answering
from bot.messages import deliver, notify, rerender, responder, update_in_place
from bot.reply import Reply
from bot.views.actions import parse_row_block_id
from bot.views.modals import form_view
from bot.views.review import review_blocks, review_modal, review_text
from bot.views.tracker import done_blocks
from conversation.commands.changing import step_form
from conversation.receipts import repeat_key, replay_key
from models.paper.review import review_of_panel
from models.tables import Source, Status

if TYPE_CHECKING:
    from slack_bolt import App

    from bot.deps import Deps


def _origin(body: dict, action: dict) -> values.Origin:
    """Where the click came from, carried through a modal so its result can update it. An
    ephemeral message can only be replaced through the click's response_url, so that (and
    the view the row was part of, to draw it again) travels instead of its channel and ts."""
    container = body.get("container") or {}
    if container.get("is_ephemeral") and body.get("response_url"):
        parsed = parse_row_block_id(action.get("block_id"))
        return values.Origin(url=body["response_url"], row=parsed[0] if parsed else None)
    return values.Origin(
        channel=container.get("channel_id"),
        ts=container.get("message_ts"),
        home=container.get("type") == "view",
    )


def _channel(body: dict) -> str | None:
    """The conversation the click came from."""
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")


def _in_thread(body: dict) -> bool:
    message = body.get("message") or {}
    return bool(message.get("thread_ts")) and message.get("thread_ts") != message.get("ts")


def click_keys(body: dict, action: dict) -> dict[str, str | None]:
    """A click is the same click again when Slack sends its action_ts and message again (a
    retry, a replay); a second click on the same button is a double click (conversation/receipts.py)."""
    container = body.get("container") or {}
    where = container.get("message_ts") or container.get("view_id")
    button = action.get("action_id")
    return {
        "repeat": repeat_key("btn", body["user"]["id"], button, action.get("value")),
        "replay": replay_key("btn", action.get("action_ts"), where, button),
    }


def register(app: App, deps: Deps) -> None:
    def fallback_for(body: dict, action: dict, actor: str, ref: str, note: str):
        parsed = parse_row_block_id(action.get("block_id"))
        return rerender(deps, parsed[0] if parsed else None, actor, ref, note)

    def change(
        body: dict, action: dict, respond: Respond, client: WebClient, op: str, args: dict
    ) -> None:
        actor = body["user"]["id"]
        ref = args.get("ref")
        reply = operations.execute(
            deps, actor=actor, op=op, args=args, source=Source.BUTTON, **click_keys(body, action)
        )
        update_in_place(
            reply,
            deps=deps,
            body=body,
            respond=respond,
            client=client,
            ref=ref,
            block_id=action.get("block_id"),
            fallback=fallback_for(body, action, actor, ref, "✔︎ " + reply.text) if ref else None,
        )
        notify(client, deps, reply.notices)

    def status_button(status: Status):
        def handle(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient) -> None:
            ack()
            change(
                body,
                action,
                respond,
                client,
                "update",
                {"ref": values.ref(action), "status": str(status)},
            )

        return handle

    def handle_verify(
        ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient
    ) -> None:
        ack()
        change(body, action, respond, client, "verify", {"ref": values.ref(action)})

    def handle_accept(
        ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient
    ) -> None:
        ack()
        change(body, action, respond, client, "accept", {"ref": values.ref(action)})

    def handle_snooze(
        ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient
    ) -> None:
        ack()
        change(body, action, respond, client, "snooze", {})

    def open_modal(kind: str):
        def handle(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
            ack()
            view = form_view(step_form(deps, body["user"]["id"], kind, values.ref(action)))
            meta = json.loads(view.private_metadata or "{}")  # the modal's own, just built
            meta["origin"] = _origin(body, action).as_value()
            view.private_metadata = json.dumps(meta, separators=(",", ":"))
            client.views_open(trigger_id=body["trigger_id"], view=view)

        return handle

    def run_held(
        body: dict, action: dict, respond: Respond, client: WebClient, *, confirmed: bool
    ) -> None:
        """A change carried in the button (guardrail confirm, or which action a thread note is
        for): run it as the clicker; replace the prompt with the result. The value says what
        the change is; where it came from is said here: a note picked or confirmed in a
        thread came from the thread, any other confirmation from a button."""
        held = pending.decode(
            values.button_value(action),
            channel=_channel(body),
            hooks=values.hooks_for(deps.settings.slack_api_url),
        )
        thread = not confirmed or _in_thread(body)  # the pick is only ever posted in a thread
        reply = operations.execute(
            deps,
            actor=body["user"]["id"],
            op=held.op,
            args=held.args,
            source=Source.THREAD if thread else Source.BUTTON,
            confirmed=confirmed,
            react=held.react,  # a thread note picked, then held: keep its reaction target
            **click_keys(body, action),
        )
        respond_or_update(body, respond, client, reply)
        if held.react and not reply.guarded:
            _react(client, *held.react)
        notify(client, deps, reply.notices)

    def handle_confirm(
        ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient
    ) -> None:
        ack()
        run_held(body, action, respond, client, confirmed=True)

    def handle_rewrite(
        ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient
    ) -> None:
        ack()
        if action.get("value") == "date":
            text = "Not saved: nothing has changed. Send it again with the date you meant."
        else:
            text = "Not saved. Write the note again without personal details."
        reply = Reply(text=text, blocks=done_blocks(text))
        respond_or_update(body, respond, client, reply)

    def handle_pick(
        ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient
    ) -> None:
        ack()
        run_held(body, action, respond, client, confirmed=False)

    def handle_post_summary(
        ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient
    ) -> None:
        ack()
        reply = router.run(deps, f"summary post {_inspection(action)}", actor=body["user"]["id"])
        respond(**reply.message(), response_type="in_channel", replace_original=False)

    def handle_report(
        ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient
    ) -> None:
        ack()
        actor = body["user"]["id"]
        reply = router.run(deps, f"report {_inspection(action)}", actor=actor)
        deliver(
            reply, deps=deps, client=client, respond=responder(respond, client, actor), actor=actor
        )

    def handle_review_open(
        ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient
    ) -> None:
        """The review's list of recommendations, from the DM or App Home."""
        ack()
        actor = body["user"]["id"]
        panel_id, _ = values.panel_and_rec(values.button_value(action, limit=40))
        with deps.db.read() as session:
            review = review_of_panel(
                session,
                actor=actor,
                panel_id=panel_id,
                today=deps.clock.today(),
                now=deps.clock.now(),
            )
        say = responder(respond, client, actor)
        say(text=review_text(review), blocks=[b.to_dict() for b in review_blocks(review)])

    def handle_review_rec(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        """One recommendation's review form."""
        ack()
        panel_id, rec = values.panel_and_rec(values.button_value(action, limit=40))
        if rec is None:
            raise values.BadValue("a review button that names no recommendation")
        with deps.db.read() as session:
            review = review_of_panel(
                session,
                actor=body["user"]["id"],
                panel_id=panel_id,
                today=deps.clock.today(),
                now=deps.clock.now(),
            )
        client.views_open(trigger_id=body["trigger_id"], view=review_modal(review, rec))

    app.action(ActionId.ON_TRACK)(answering(deps, status_button(Status.ON_TRACK)))
    app.action(ActionId.AT_RISK)(answering(deps, status_button(Status.AT_RISK)))
    app.action(ActionId.IMPLEMENTED)(answering(deps, open_modal("implemented")))
    app.action(ActionId.UPDATE)(answering(deps, open_modal("update")))
    app.action(ActionId.RETURN)(answering(deps, open_modal("return")))
    app.action(ActionId.DECLINE)(answering(deps, open_modal("decline")))
    app.action(ActionId.VERIFY)(answering(deps, handle_verify))
    app.action(ActionId.ACCEPT)(answering(deps, handle_accept))
    app.action(ActionId.SNOOZE)(answering(deps, handle_snooze))
    app.action(ActionId.CONFIRM_NOTE)(answering(deps, handle_confirm))
    app.action(ActionId.REWRITE_NOTE)(answering(deps, handle_rewrite))
    app.action(ActionId.PICK_ACTION)(answering(deps, handle_pick))
    app.action(ActionId.POST_SUMMARY)(answering(deps, handle_post_summary))
    app.action(ActionId.DRAFT_REPORT)(answering(deps, handle_report))
    app.action(ActionId.REVIEW_OPEN)(answering(deps, handle_review_open))
    app.action(ActionId.REVIEW_REC)(answering(deps, handle_review_rec))


def _inspection(action: dict) -> str:
    """The inspection a summary's button carries (its code; older buttons carry a word)."""
    value = values.button_value(action)
    if value in ("post", "report"):
        return ""
    if not values.CODE.match(value):
        raise values.BadValue("a summary button whose value is not an inspection code")
    return value


def respond_or_update(body: dict, respond: Respond, client: WebClient, reply) -> None:
    """Replace the clicked message (a prompt) with the result."""
    container = body.get("container") or {}
    message = body.get("message")
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    if message and channel and not container.get("is_ephemeral"):
        client.chat_update(channel=channel, ts=message["ts"], **reply.message())
    else:
        respond(**reply.message(), replace_original=True)


def _react(client: WebClient, channel: str, ts: str) -> None:
    from bot.listeners.events import react

    react(client, channel, ts)
