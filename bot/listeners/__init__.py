"""Listeners: parse → call the domain in one transaction → render a view → reply."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slack_bolt import App

    from bot.deps import Deps


def register(app: App, deps: Deps) -> None:
    """Register every listener module explicitly."""
    from bot.listeners import actions, commands, errors, events, views

    commands.register(app, deps)
    actions.register(app, deps)
    views.register(app, deps)
    events.register(app, deps)
    errors.register(app, deps)
