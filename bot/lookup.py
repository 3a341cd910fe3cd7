"""Owner emails → Slack users (users.lookupByEmail), for `ncpi-bot import`; and a Slack
user's name as the member table keeps it (`slack_name`).

The import in models/transfer/ takes any `EmailResolver`; this one asks Slack. It lives in
bot/ so models/ never imports Slack.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.client import create_client
from models.errors import UsageError
from models.settings import Settings
from models.transfer import EmailResolver, Looked

NOT_FOUND = {"users_not_found", "user_not_found"}


def slack_name(user: dict) -> str | None:
    """A person's name as Slack's users.info (or users.lookupByEmail) gives it."""
    profile = user.get("profile") or {}
    name = profile.get("real_name") or user.get("real_name") or profile.get("display_name")
    return " ".join(str(name).split()) or None if name else None


def slack_email_resolver(settings: Settings, client: WebClient | None = None) -> EmailResolver:
    """A resolver backed by users.lookupByEmail on settings.slack_api_url, cached per email."""
    client = client or create_client(settings)  # waits out a 429: a big import meets one
    cache: dict[str, Looked | None] = {}

    def resolve(email: str) -> Looked | None:
        key = email.lower()
        if key in cache:
            return cache[key]
        try:
            user = client.users_lookupByEmail(email=email)["user"]
        except SlackApiError as e:
            error = e.response.get("error") if e.response is not None else None
            if error in NOT_FOUND:
                cache[key] = None
                return None
            if error == "ratelimited":  # still, after waiting as Slack asked
                raise UsageError(
                    "Slack is still rate-limiting users.lookupByEmail; nothing was imported. "
                    "Try again in a minute, or give owners as Slack user ids."
                ) from None
            raise UsageError(
                f"Slack refused users.lookupByEmail ({error}); check SLACK_BOT_TOKEN has the "
                "users:read.email scope, or give owners as Slack user ids."
            ) from None
        cache[key] = (user["id"], slack_name(user))
        return cache[key]

    return resolve
