"""What the reminder jobs need from a front end, handed in by whoever starts them.

`jobs/` plans (through `models/`), claims, sends and records; what a reminder says is the
conversation's (`conversation.reminders.says`) and its layout the front end's
(`bot.views.reminders.reminder_message` for Slack; `conversation.plain.plain_reminder` for
plain text, its `blocks` empty), which passes its renderer to `jobs.sweep.sweep` and
`jobs.scheduler.start_scheduler`. So `jobs/` imports nothing from `bot/`, and another front
end can bring its own renderer.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from models.clock import Clock
    from models.db import Database
    from models.planner import Owed
    from models.settings import Settings


class ReminderRenderer(Protocol):
    """Renders one owed reminder as a message: `text` (the notification fallback) and
    `blocks`. `last_updates` is each of its actions' last update (UTC), `tz` the local zone."""

    def __call__(
        self, owed: Owed, *, last_updates: dict[int, datetime], tz: ZoneInfo
    ) -> dict[str, Any]: ...


class JobDeps(Protocol):
    """What a scheduled sweep reads: the settings, the database and the clock."""

    settings: Settings
    db: Database
    clock: Clock
