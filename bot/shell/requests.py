"""Requests as Slack sends them to the app: a slash command, a button press, a modal
submission, an event. The one set of builders, used by the shell and by the tests."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def command(
    text: str,
    *,
    user: str,
    channel: str,
    response_url: str,
    trigger_id: str,
    team_id: str,
    app_id: str,
    command: str = "/ncpi",
) -> dict[str, str]:
    """A slash command's fields (Slack posts them form-encoded: see `form`)."""
    return {
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


_CLICKS = itertools.count(1)


def button(
    action_id: str,
    value: str | None,
    *,
    block_id: str = "b1",
    text: str | None = None,
    action_ts: str | None = None,
) -> dict[str, Any]:
    """The `actions[0]` of a button press; each press has its own `action_ts`, as in Slack
    (the same one again is the same press, retried or replayed)."""
    return {
        "type": "button",
        "action_id": action_id,
        "block_id": block_id,
        "value": value,
        "text": {"type": "plain_text", "text": text if text is not None else value or ""},
        "action_ts": action_ts or f"{int(time.time())}.{next(_CLICKS):06d}",
    }


def _user(user: str, team_id: str) -> dict[str, str]:
    return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team_id}


def block_action(
    action: dict[str, Any],
    *,
    user: str,
    team_id: str,
    app_id: str,
    trigger_id: str,
    channel: str | None = None,
    message: dict[str, Any] | None = None,
    is_ephemeral: bool = False,
    response_url: str | None = None,
    home_view: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A `block_actions` payload: a button pressed in a message (give `channel` and
    `message`) or on the App Home tab (give `home_view`)."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user, team_id),
        "api_app_id": app_id,
        "token": "deprecated-verification-token",
        "trigger_id": trigger_id,
        "team": {"id": team_id, "domain": "standin"},
        "actions": [action],
    }
    if home_view is not None:
        view_id = home_view.get("id") or "VHOME"
        payload["container"] = {"type": "view", "view_id": view_id}
        payload["view"] = {"id": view_id, "type": "home", **home_view}
        return payload
    message = message or {"type": "message", "ts": "1764064801.000100", "text": "", "blocks": []}
    payload["container"] = {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": channel,
        "is_ephemeral": is_ephemeral,
    }
    payload["channel"] = {"id": channel, "name": "directmessage"}
    if not is_ephemeral:
        payload["message"] = message
    if response_url:
        payload["response_url"] = response_url
    return payload


def view_submission(
    view: dict[str, Any],
    values: dict[str, Any],
    *,
    user: str,
    team_id: str,
    app_id: str,
    trigger_id: str = "1000.2000.trigger",
) -> dict[str, Any]:
    """A `view_submission` payload for an open modal, with its inputs' `values`."""
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "standin"},
        "user": _user(user, team_id),
        "api_app_id": app_id,
        "token": "deprecated-verification-token",
        "trigger_id": trigger_id,
        "view": {**view, "state": {"values": values}, "team_id": team_id},
        "response_urls": [],
    }


def event_callback(
    event: dict[str, Any],
    *,
    team_id: str,
    app_id: str,
    event_id: str,
    event_time: int = 1764064800,
    bot_user_id: str = "U0NCPIBOT",
) -> dict[str, Any]:
    """An Events API callback (Slack posts it as JSON)."""
    return {
        "token": "deprecated-verification-token",
        "team_id": team_id,
        "api_app_id": app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def form(fields: dict[str, str]) -> str:
    """A slash command's body."""
    return urlencode(fields)


def interaction(payload: dict[str, Any]) -> str:
    """Interactivity's body: `payload=<json>`, form-encoded."""
    return urlencode({"payload": json.dumps(payload)})
