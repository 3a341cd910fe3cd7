"""Listeners: parse → call the domain in one transaction → render a view → reply."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slack_bolt import App

    from bot.app import Deps


def register(app: App, deps: Deps) -> None:
    """Register every listener module explicitly."""
    # Each listener module adds `register(app, deps)` and is called from here.
