"""The Slack app manifest (manifest.json at the repository root), for HTTP or Socket Mode."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MANIFEST = Path(__file__).resolve().parents[1] / "manifest.json"
PLACEHOLDER = "https://YOUR-HOST"


def load_manifest(*, socket_mode: bool = False, base_url: str | None = None) -> dict[str, Any]:
    """manifest.json; with `socket_mode` the request URLs go (Slack needs none) and Socket
    Mode is switched on; with `base_url` the placeholder host is replaced."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    settings = manifest["settings"]
    commands = manifest["features"]["slash_commands"]
    if socket_mode:
        settings["socket_mode_enabled"] = True
        settings["event_subscriptions"].pop("request_url", None)
        settings["interactivity"].pop("request_url", None)
        for command in commands:
            command.pop("url", None)
    elif base_url:
        base = base_url.rstrip("/")
        settings["event_subscriptions"]["request_url"] = f"{base}/slack/events"
        settings["interactivity"]["request_url"] = f"{base}/slack/events"
        for command in commands:
            command["url"] = f"{base}/slack/events"
    return manifest
