"""What listeners, views and jobs need, handed in explicitly (no globals).

Its own module so that `bot.app` (which registers the listeners) and the listeners (which
take a Deps) do not import each other."""

from __future__ import annotations

from dataclasses import dataclass

from models.clock import Clock
from models.db import Database
from models.settings import Settings


@dataclass
class Deps:
    settings: Settings
    db: Database
    clock: Clock
