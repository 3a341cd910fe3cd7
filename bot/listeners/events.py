"""Events: App Home, and replies in the thread of a bot DM about actions (a note on that
action, confirmed with a reaction). Each event is handled once, even when Slack retries it
(X-Slack-Retry-Num) or delivers the same message under a new event id: the message (channel
and ts) is claimed first (service.claim_reply)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError

from bot import operations, pending
from bot.messages import notify, publish_home
from bot.syntax import conversation_words
from bot.views.notices import pick_action_blocks
from models import service
from models.tables import Source

if TYPE_CHECKING:
    from slack_bolt import App

    from bot.deps import Deps

log = logging.getLogger(__name__)
DONE_REACTION = "white_check_mark"


def claim_event(deps: Deps, channel: str, ts: str, actor: str) -> bool:
    """True the first time the message is seen; False for a retry or a duplicate delivery."""
    try:
        with deps.db.write() as session:
            return service.claim_reply(
                session, channel=channel, ts=ts, actor=actor, now=deps.clock.now()
            )
    except IntegrityError:  # another delivery of it claimed it first
        return False


def react(client: WebClient, channel: str, ts: str) -> None:
    try:
        client.reactions_add(channel=channel, timestamp=ts, name=DONE_REACTION)
    except SlackApiError as e:
        if e.response.get("error") != "already_reacted":
            log.warning("could not react: %s", e.response.get("error"))


def register(app: App, deps: Deps) -> None:
    def handle_home(event: dict, client: WebClient) -> None:
        if event.get("tab", "home") == "home":
            publish_home(client, deps, event["user"])

    def handle_message(event: dict, body: dict, client: WebClient) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        thread, ts, user = event.get("thread_ts"), event.get("ts"), event.get("user")
        text = conversation_words("note", event.get("text") or "").strip()
        if not thread or thread == ts or not user or not text:
            return
        channel = event["channel"]
        with deps.db.read() as session:
            views = service.thread_actions(
                session, channel=channel, thread=thread, today=deps.clock.today()
            )
        if not views:
            return
        # The message itself, not the event that carried it: Slack can deliver one message
        # under a new event id, and a retry repeats the id; either way it is one note.
        if not claim_event(deps, channel, ts, user):
            return
        if len(views) > 1:
            held = []
            for v in views:
                h = pending.encode(
                    pending.Held(
                        "update", {"ref": v.qualified_ref, "note": text}, react=(channel, ts)
                    )
                )
                if h is None:
                    client.chat_postMessage(
                        channel=channel,
                        thread_ts=thread,
                        text="That note is too long to hold; please shorten it.",
                    )
                    return
                held.append(h)
            blocks = pick_action_blocks(views, held)
            client.chat_postMessage(
                channel=channel,
                thread_ts=thread,
                text="Which action is this note for?",
                blocks=[b.to_dict() for b in blocks],
            )
            return
        reply = operations.execute(
            deps,
            actor=user,
            op="update",
            args={"ref": views[0].qualified_ref, "note": text},
            source=Source.THREAD,
            react=(channel, ts),
        )
        if reply.guarded:
            client.chat_postMessage(
                channel=channel, thread_ts=thread, text=reply.text, blocks=reply.message()["blocks"]
            )
            return
        react(client, channel, ts)
        notify(client, deps, reply.notices)

    app.event("app_home_opened")(handle_home)
    app.event("message")(handle_message)
