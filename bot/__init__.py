"""Slack side: app factory, listeners, views, command routing, the local shell, the CLI."""
