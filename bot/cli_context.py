"""What every `ncpi-bot` command is handed: settings, and the database and clock built from
them on first use. Its own module so that the command groups (`bot.cli`, `bot.reminders_cli`)
share it without importing each other."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import click

from bot.wiring import make_clock, open_database
from models.clock import Clock
from models.db import Database
from models.settings import Settings


@dataclass
class Context:
    """What every command needs: settings, the database, the clock (built lazily)."""

    settings: Settings

    @cached_property
    def db(self) -> Database:
        """The database, checked and ready; NCPI_LEADS are leads from the first command."""
        return open_database(self.settings)

    @cached_property
    def clock(self) -> Clock:
        return make_clock(self.settings)


pass_ctx = click.make_pass_decorator(Context)
