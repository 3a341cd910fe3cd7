"""`/ncpi`: ack within Slack's 3 seconds, then route, then reply."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot import router
from bot.listeners.errors import answering
from bot.messages import deliver

if TYPE_CHECKING:
    from slack_bolt import App

    from bot.deps import Deps


def register(app: App, deps: Deps) -> None:
    def handle_ncpi(ack: Ack, command: dict, respond: Respond, client: WebClient) -> None:
        ack()
        actor = command["user_id"]
        reply = router.run(
            deps,
            command.get("text", ""),
            actor=actor,
            channel=command.get("channel_id"),
            trigger=command.get("trigger_id"),
        )
        deliver(
            reply,
            deps=deps,
            client=client,
            respond=respond,
            actor=actor,
            trigger_id=command.get("trigger_id"),
        )

    app.command("/ncpi")(answering(deps, handle_ncpi))
