"""`ncpi-bot socket`: Socket Mode, for networks that take no inbound connections.

The bot dials out to Slack over a WebSocket with the app-level token (`SLACK_APP_TOKEN`,
`xapp-…`, scope `connections:write`); no public URL and no signing secret are needed. The
same app, listeners and workspace check as `serve`.
"""

from __future__ import annotations

from models.settings import Settings


def run_socket(settings: Settings, *, scheduler: bool = True) -> None:
    """Connect to Slack and handle requests until interrupted."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.server import prepare, start_background

    deps, app = prepare(settings, need=("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"))
    stop = start_background(deps, app.client) if scheduler else None
    try:
        SocketModeHandler(app, settings.slack_app_token).start()
    finally:
        if stop is not None:
            stop()
        deps.db.dispose()
