"""The Bolt app factory. Nothing creates an App at import time."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App

from bot.client import create_client
from bot.deps import Deps
from bot.wiring import HANDLER_THREADS

__all__ = ["Deps", "create_app", "create_client"]
log = logging.getLogger(__name__)


class _TokenFromClient(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN from the environment "will be unused" because the
    client carries it: that is by design here (the client has our base URL and retries)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "will be unused" not in record.getMessage()


def quiet_bolt_logs() -> None:
    """Bolt logs whole request bodies at INFO when a signature fails: keep it at WARNING."""
    for name in ("slack_bolt", "slack_sdk"):
        logging.getLogger(name).setLevel(logging.WARNING)
    bolt = logging.getLogger("ncpi.bolt")
    if not any(isinstance(f, _TokenFromClient) for f in bolt.filters):
        bolt.addFilter(_TokenFromClient())


def create_app(
    deps: Deps, *, verify_requests: bool = True, process_before_response: bool = False
) -> App:
    """The one Bolt app every front end drives (HTTP, Socket Mode, the local shell).

    `verify_requests=False` is for the local shell only, which has no Slack to sign.
    `process_before_response=True` runs each listener to the end before `dispatch` returns
    (the shell and tests use it to see every reply; Slack front ends keep the default, so
    `ack()` goes back at once and slow work happens after it).
    """
    from bot import listeners, security

    quiet_bolt_logs()
    checks = security.RequestChecks(deps, verify_requests=verify_requests)
    app = App(
        signing_secret=deps.settings.slack_signing_secret or "shell-no-slack",
        client=create_client(deps.settings),
        token_verification_enabled=False,
        request_verification_enabled=False,  # checks does it, answering every bad one 401
        before_authorize=checks,
        process_before_response=process_before_response,
        listener_executor=ThreadPoolExecutor(HANDLER_THREADS, thread_name_prefix="ncpi-handler"),
        logger=logging.getLogger("ncpi.bolt"),
    )
    security.install(app, deps, checks)
    listeners.register(app, deps)
    return app
