"""The one error handler: an NcpiError is an ephemeral answer saying what to fix; a database
that did not answer in time (models.db's timeouts) is a polite "try again"; anything else
is logged with a short reference the user can quote. Note text and tokens are never logged
(SQL parameters are hidden from the logged error)."""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_bolt import BoltResponse
from sqlalchemy.exc import OperationalError, StatementError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.values import BadValue
from bot.views.common import error_mrkdwn
from models.errors import NcpiError

if TYPE_CHECKING:
    from slack_bolt import App

    from bot.deps import Deps

log = logging.getLogger("ncpi.errors")
NOT_ANSWERING = "The tracker is not answering just now; try again in a minute."


def register(app: App, deps: Deps) -> None:
    def handle_error(
        error: Exception, body: dict, respond, client, response
    ) -> BoltResponse | None:
        answer(error, body, respond=respond, client=client, deps=deps)
        # Answered: when the HTTP response is still ours to give (process_before_response),
        # Slack (and the shell) see a 200. After an early ack there is none to change.
        return BoltResponse(status=200, body="") if response is not None else None

    app.error(handle_error)


def answering(deps: Deps, listener: Callable[..., None]) -> Callable[..., None]:
    """A listener that acks first, answering its own errors instead of raising them to Bolt.

    Once a listener has acked, an error it raises reaches Bolt's error handler on another
    thread, and Bolt's thread runner marks the HTTP response 500 there before the handler
    can say otherwise: under load Slack sees that 500 for a plain refusal ("Only a lead can
    …"), and retries or shows the user an error. Answered here, the ack stands."""
    wanted = inspect.getfullargspec(listener).args

    def run(ack, body, respond, client, action, command, view, event) -> None:
        given = {
            "ack": ack,
            "body": body,
            "respond": respond,
            "client": client,
            "action": action,
            "command": command,
            "view": view,
            "event": event,
        }
        try:
            listener(**{name: given[name] for name in wanted})
        except Exception as error:  # noqa: BLE001 - answered and logged by `answer`
            answer(error, body, respond=respond, client=client, deps=deps)
            if ack.response is None:  # refused before it acked: Slack still hears back
                ack()

    run.__name__ = run.__qualname__ = getattr(listener, "__name__", "listener")
    return run


def answer(error: Exception, body: dict, *, respond, client, deps: Deps) -> None:
    """What the user is told of an error, wherever the request came from, and what is logged."""
    kind = body.get("type") or ("command" if body.get("command") else "request")
    if isinstance(error, BadValue):
        log.warning("refused a %s: %s", kind, error.why)  # never the value itself
        text = error.message
    elif isinstance(error, NcpiError):
        text = error_mrkdwn(error, board=deps.settings.board_name)
    elif isinstance(error, (OperationalError, PoolTimeout)):
        # Timed out, locked or unreachable (models.db's limits): one line, no SQL.
        cause = type(getattr(error, "orig", None) or error).__name__
        log.warning("the database did not answer a %s (%s)", kind, cause)
        text = NOT_ANSWERING
    else:
        ref = uuid.uuid4().hex[:8]
        if isinstance(error, StatementError):
            error.hide_parameters = True
        log.exception("unexpected error %s handling a %s", ref, kind)
        text = (
            f"Sorry, something went wrong on my side. Quote reference `{ref}` if you ask for help."
        )
    tell(body, text, respond=respond, client=client)


def tell(body: dict, text: str, *, respond, client) -> None:
    """An ephemeral answer wherever the request came from."""
    try:
        if body.get("response_url") or (body.get("response_urls") or []):
            respond(text=text, response_type="ephemeral", replace_original=False)
            return
        event = body.get("event") or {}
        if event.get("channel") and event.get("user"):
            client.chat_postMessage(
                channel=event["channel"],
                thread_ts=event.get("thread_ts") or event.get("ts"),
                text=text,
            )
            return
        user = (body.get("user") or {}).get("id")
        if user:
            client.chat_postMessage(channel=user, text=text)
    except Exception:  # noqa: BLE001 - the answer is best effort; the cause is logged already
        log.warning("could not tell the user about an error")
