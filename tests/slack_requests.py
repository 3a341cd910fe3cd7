"""Requests as Slack sends them: signed form (slash commands, `payload=` interactivity) and
JSON (events). For end-to-end tests against `ncpi-bot serve` and for in-process dispatch."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tests.slack_standin import APP_ID, TEAM_ID

SECRET = "e2e-signing-secret-0123456789abcdef"


def signature(secret: str, timestamp: int | str, body: str) -> str:
    """Slack's v0 signature: HMAC-SHA256 over `v0:{timestamp}:{body}`."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(secret: str, timestamp: int | str, body: str, content_type: str) -> dict:
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature(secret, timestamp, body),
    }


def command_body(
    text: str,
    *,
    user: str = "U0LEAD01",
    channel: str = "C0NCPI01",
    response_url: str = "https://hooks.slack.com/commands/T0/1/x",
    team_id: str = TEAM_ID,
    app_id: str = APP_ID,
    command: str = "/ncpi",
    trigger_id: str = "1000.2000.trigger",
) -> str:
    """A slash command, form-encoded as Slack posts it."""
    return urlencode(
        {
            "token": "deprecated-verification-token",
            "team_id": team_id,
            "team_domain": "standin",
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else "ncpi",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": app_id,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    )


def interaction_body(payload: dict[str, Any]) -> str:
    """Interactivity (block_actions, view_submission…): `payload=<json>`, form-encoded."""
    return urlencode({"payload": json.dumps(payload)})


def block_action(
    action_id: str,
    value: str,
    *,
    user: str = "U0LEAD01",
    channel: str = "D0LEAD01",
    message_ts: str = "1764064801.000100",
    response_url: str = "https://hooks.slack.com/actions/T0/1/x",
    team_id: str = TEAM_ID,
    app_id: str = APP_ID,
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team_id},
        "api_app_id": app_id,
        "token": "deprecated-verification-token",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "trigger_id": "1000.2000.trigger",
        "team": {"id": team_id, "domain": "standin"},
        "channel": {"id": channel, "name": "directmessage"},
        "message": message or {"type": "message", "ts": message_ts, "text": "", "blocks": []},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "text": {"type": "plain_text", "text": value},
                "action_ts": "1764064802.000200",
            }
        ],
    }


def view_submission(
    callback_id: str,
    values: dict[str, Any],
    *,
    user: str = "U0LEAD01",
    private_metadata: str = "",
    team_id: str = TEAM_ID,
    app_id: str = APP_ID,
) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "standin"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team_id},
        "api_app_id": app_id,
        "token": "deprecated-verification-token",
        "trigger_id": "1000.2000.trigger",
        "view": {
            "id": "V0000001",
            "team_id": team_id,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": values},
            "hash": "1.abc",
            "title": {"type": "plain_text", "text": "NCPI"},
            "blocks": [],
            "app_id": app_id,
            "bot_id": "B0STANDIN",
        },
        "response_urls": [],
    }


def event_body(
    event: dict[str, Any],
    *,
    team_id: str = TEAM_ID,
    app_id: str = APP_ID,
    event_id: str = "Ev0000001",
) -> str:
    """An Events API callback, JSON as Slack posts it."""
    return json.dumps(
        {
            "token": "deprecated-verification-token",
            "team_id": team_id,
            "api_app_id": app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": 1764064800,
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": team_id,
                    "user_id": "U0NCPIBOT",
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
    )


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


def post(
    url: str,
    body: str,
    headers: dict[str, str],
    *,
    timeout: float = 10.0,
) -> Answer:
    """POST and return the answer, whatever its status."""
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return Answer(r.status, r.read().decode(), dict(r.headers))
    except urllib.error.HTTPError as e:
        return Answer(e.code, e.read().decode(), dict(e.headers))


def get(url: str, *, timeout: float = 10.0) -> Answer:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return Answer(r.status, r.read().decode(), dict(r.headers))
    except urllib.error.HTTPError as e:
        return Answer(e.code, e.read().decode(), dict(e.headers))


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
