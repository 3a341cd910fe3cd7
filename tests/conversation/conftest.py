"""What the conversation tests share: the hand-over a front end gives the conversation."""

from __future__ import annotations

from dataclasses import dataclass

from models.clock import Clock
from models.db import Database
from models.settings import Settings


@dataclass
class Deps:
    """Whatever a front end hands the conversation: settings, the database, the clock."""

    settings: Settings
    db: Database
    clock: Clock
