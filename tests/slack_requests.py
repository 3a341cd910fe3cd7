"""Requests as Slack sends them, signed, for end-to-end tests against `ncpi-bot serve` and
for in-process dispatch. The bodies come from the one set of builders, `bot/shell/requests.py`
(the shell uses them too); this adds the test defaults, the signature and an HTTP client."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

from bot.shell import requests
from tests.slack_standin import APP_ID, TEAM_ID

_TRIGGERS = itertools.count(1000)
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
    trigger_id: str | None = None,
) -> str:
    """A slash command, form-encoded as Slack posts it; each has its own trigger, as in
    Slack (the same trigger again is a replay of the same request)."""
    trigger_id = trigger_id or f"{next(_TRIGGERS)}.{uuid.uuid4().hex[:12]}.trigger"
    return requests.form(
        requests.command(
            text,
            user=user,
            channel=channel,
            response_url=response_url,
            trigger_id=trigger_id,
            team_id=team_id,
            app_id=app_id,
            command=command,
        )
    )


interaction_body = requests.interaction


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
    """A button press in a message (`interaction_body` encodes it)."""
    return requests.block_action(
        requests.button(action_id, value),
        user=user,
        team_id=team_id,
        app_id=app_id,
        trigger_id="1000.2000.trigger",
        channel=channel,
        message=message or {"type": "message", "ts": message_ts, "text": "", "blocks": []},
        response_url=response_url,
    )


def view_submission(
    callback_id: str,
    values: dict[str, Any],
    *,
    user: str = "U0LEAD01",
    private_metadata: str = "",
    team_id: str = TEAM_ID,
    app_id: str = APP_ID,
) -> dict[str, Any]:
    """A modal submitted with its inputs' `values` (`interaction_body` encodes it)."""
    view = {
        "id": "V0000001",
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": private_metadata,
        "hash": "1.abc",
        "title": {"type": "plain_text", "text": "NCPI"},
        "blocks": [],
        "app_id": app_id,
        "bot_id": "B0STANDIN",
    }
    return requests.view_submission(view, values, user=user, team_id=team_id, app_id=app_id)


def event_body(
    event: dict[str, Any],
    *,
    team_id: str = TEAM_ID,
    app_id: str = APP_ID,
    event_id: str = "Ev0000001",
) -> str:
    """An Events API callback, JSON as Slack posts it."""
    return json.dumps(
        requests.event_callback(event, team_id=team_id, app_id=app_id, event_id=event_id)
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


FORM = requests.FORM
JSON = requests.JSON
