"""Slack's Web API as the bot calls it: one client for the app, the CLI and the look-ups,
on SLACK_API_URL, that waits out Slack's rate limits and retries what is safe to retry."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from models.settings import Settings

# With no token set (the local shell, a CLI with no Slack), a placeholder keeps Bolt from
# asking for one; Slack refuses it like any other unknown token.
NO_TOKEN = "xoxb-shell-no-slack"


def create_client(settings: Settings) -> WebClient:
    """A WebClient on SLACK_API_URL that retries 429 (after Retry-After), connection errors
    and 5xx. Retries happen inside listeners after ack(), never before it."""
    client = WebClient(
        token=settings.slack_bot_token or NO_TOKEN, base_url=settings.slack_api_url, timeout=10
    )
    client.retry_handlers.extend(
        [
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=5),
            ServerErrorRetryHandler(max_retry_count=2),
        ]
    )
    return client
