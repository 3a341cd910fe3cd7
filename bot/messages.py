"""Sending: command replies, DMs about actions (recorded in BotMessage so thread replies
find their action), notices after commit, in-place updates after a click, App Home.

Every bot DM about actions is recorded by `service.record_dm`, here and in jobs/delivery.py.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block
from slack_sdk.webhook import WebhookClient

from bot.reply import Notice, Reply
from bot.views.actions import recorded_block, replace_row
from bot.views.common import MAX_FALLBACK, clip
from bot.views.home import home_view
from jobs.notices import notice_courier, send_notice
from models import service
from models.errors import NcpiError

if TYPE_CHECKING:
    from bot.deps import Deps
    from bot.values import Origin

log = logging.getLogger(__name__)


def post_action_dm(
    client: WebClient,
    deps: Deps,
    *,
    user: str,
    text: str,
    blocks: list[Block] | list[dict],
    kind: str,
    action_ids: list[int],
) -> tuple[str, str]:
    """DM `user` about actions and record the message, so a reply in its thread becomes a
    note on them. Returns (channel, ts). Raises SlackApiError as the client does."""
    resp = client.chat_postMessage(
        channel=user,
        text=clip(text, MAX_FALLBACK),
        blocks=[b.to_dict() if isinstance(b, Block) else b for b in blocks],
        unfurl_links=False,
    )
    channel, ts = resp["channel"], resp["ts"]
    with deps.db.write() as session:
        service.record_dm(
            session,
            channel=channel,
            ts=ts,
            recipient=user,
            kind=kind,
            action_ids=action_ids,
            now=deps.clock.now(),
        )
    return channel, ts


def notify(client: WebClient, deps: Deps, notices: list[Notice]) -> None:
    """Send the DMs that follow a change (after it committed), each once, by the reminders'
    claim-and-key route: what Slack does not take now the sweep retries (jobs.notices). A
    failure is logged by its key, never with the text, and does not undo the change."""
    if not notices:
        return
    courier = notice_courier(deps.db, client, deps.clock.now)
    for n in notices:
        send_notice(
            courier,
            tz=deps.settings.tz,
            user=n.user,
            kind=n.kind,
            text=clip(n.text, MAX_FALLBACK),
            blocks=[b.to_dict() if isinstance(b, Block) else b for b in n.blocks],
            action_ids=n.action_ids,
        )


def deliver(
    reply: Reply,
    *,
    deps: Deps,
    client: WebClient,
    respond,  # Bolt's Respond
    actor: str,
    trigger_id: str | None = None,
) -> None:
    """Send a command's reply: open its modal, upload its file, or respond; then notices."""
    if reply.modal is not None and trigger_id:
        client.views_open(trigger_id=trigger_id, view=reply.modal)
    elif reply.report is not None:
        from bot.report_upload import upload_report

        what = reply.report.what
        respond(
            text=f"Drafting the {what}; it will be in your DM with me in a moment.",
            response_type="ephemeral",
        )
        _, name = upload_report(
            client, deps.db, deps.clock, reply.report, marking=deps.settings.marking
        )
        respond(
            text=f"The draft {what} ({name}) is in your DM with me.",
            response_type="ephemeral",
            replace_original=True,
        )
    else:
        respond(**reply.message(), response_type="in_channel" if reply.in_channel else "ephemeral")
    notify(client, deps, reply.notices)


def responder(respond, client: WebClient, user: str):
    """Bolt's respond() when the request has a response_url; from App Home (none) the answer
    goes to the user's DM with the bot instead."""
    if respond is not None and getattr(respond, "response_url", None):
        return respond

    def dm(text: str = "", blocks: list | None = None, **_: object) -> None:
        client.chat_postMessage(channel=user, text=text, blocks=blocks)

    return dm


def home_for(deps: Deps, user: str):  # a slack_sdk View
    today = deps.clock.today()
    with deps.db.read() as session:
        lead = service.is_lead(session, user)
        mine = service.my_actions(session, actor=user, today=today)
        summary = queue = None
        reviews = (
            [
                (p.id, p.day, p.paper_ref)
                for p, _code in service.reviews_due(
                    session, today=today, review_days=deps.settings.review_days
                )
            ]
            if lead
            else []
        )
        if lead:
            try:
                summary = service.summary(
                    session, today=today, immediately_days=deps.settings.immediately_days
                )
            except NcpiError:  # no inspection yet, or several: Home shows the actions only
                summary = None
            queue = summary.to_verify if summary else []
    return home_view(
        viewer=user,
        viewer_is_lead=lead,
        mine=mine,
        summary=summary,
        today=today,
        verify_queue=queue,
        reviews=reviews,
    )


def publish_home(client: WebClient, deps: Deps, user: str) -> None:
    client.views_publish(user_id=user, view=home_for(deps, user))


def update_in_place(
    reply: Reply,
    *,
    deps: Deps,
    body: dict,
    respond,
    client: WebClient,
    ref: str | None,
    block_id: str | None = None,
    fallback=None,  # () -> Reply, re-rendered view for ephemeral messages
) -> None:
    """After a click: change the clicked row (or block) to the result, so nobody clicks twice.
    App Home is re-published; a message the bot can see is edited; an ephemeral one (Slack
    sends us no copy) is replaced with `fallback()` or the reply itself."""
    actor = body["user"]["id"]
    container = body.get("container") or {}
    if container.get("type") == "view" or (body.get("view") or {}).get("type") == "home":
        publish_home(client, deps, actor)
        return
    message = body.get("message")
    if message and message.get("blocks") is not None and not reply.guarded:
        blocks = replace_row(
            message["blocks"], ref, recorded_block(ref or "", reply.text), block_id=block_id
        )
        if blocks is not None:
            text = message.get("text") or reply.text
            channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
            if channel and message.get("ts") and not container.get("is_ephemeral"):
                client.chat_update(channel=channel, ts=message["ts"], text=text, blocks=blocks)
            else:
                respond(text=text, blocks=blocks, replace_original=True)
            return
    if (
        message
        and not container.get("is_ephemeral")
        and reply.guarded is False
        and (body.get("channel") or {}).get("id")
    ):
        client.chat_update(channel=body["channel"]["id"], ts=message["ts"], **reply.message())
        return
    shown = fallback() if fallback and not reply.guarded else reply
    respond(**shown.message(), replace_original=True)


def post_result_dm(client: WebClient, user: str, reply: Reply) -> None:
    """A modal closed with no place to show its result: tell its author in their DM."""
    try:
        client.chat_postMessage(channel=user, **reply.message())
    except SlackApiError as e:
        log.warning("could not send a result to %s: %s", user, e.response.get("error"))


def rerender(deps: Deps, where: str | None, actor: str, ref: str, note: str):
    """For a row on an ephemeral message (Slack sends no copy of it, and only its
    response_url can change it): () -> the view it was part of, drawn again with `note` on
    top; None for a row shown anywhere else."""
    from bot import render
    from conversation.commands.reading import mine_read, show_read

    tz = deps.settings.tz
    if where == "mine":
        return lambda: render.read_reply(mine_read(deps, actor, note=note), tz=tz)
    if where == "show":
        return lambda: render.read_reply(show_read(deps, actor, ref, note=note), tz=tz)
    return None


def refresh_origin(
    deps: Deps,
    client: WebClient,
    user: str,
    origin: Origin | None,
    ref: str | None,
    reply: Reply,
) -> None:
    """After a modal opened from a message or Home saved its change, show the result there
    too (best effort: the change is already saved). An ephemeral message is replaced through
    the response_url of the click that opened the modal, as the click itself would have."""
    if not origin:
        return
    try:
        if origin.home:
            publish_home(client, deps, user)
            return
        if origin.url:
            again = rerender(deps, origin.row, user, ref or "", "✔︎ " + reply.text)
            shown = again() if again and ref else reply
            sent = WebhookClient(origin.url).send(**shown.message(), replace_original=True)
            if sent.status_code != 200:
                log.info(
                    "could not refresh the ephemeral message a modal came from: %s",
                    sent.status_code,
                )
            return
        channel, ts = origin.channel, origin.ts
        if not (channel and ts):
            return
        found = client.conversations_history(channel=channel, latest=ts, inclusive=True, limit=1)
        messages = [m for m in found.get("messages") or [] if m.get("ts") == ts]
        if not messages:
            return
        blocks = replace_row(
            messages[0].get("blocks") or [], ref, recorded_block(ref or "", reply.text)
        )
        if blocks is not None:
            client.chat_update(
                channel=channel, ts=ts, text=messages[0].get("text") or reply.text, blocks=blocks
            )
    except SlackApiError as e:
        log.info("could not refresh the message a modal came from: %s", e.response.get("error"))
