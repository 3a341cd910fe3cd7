"""What every operation is given (`Ctx`: the session, who, when) and the table of
operations by name (`OPS`), filled by `@op` as conversation.ops' modules are imported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlmodel import Session

from conversation.outcomes import Done
from models import service
from models.clock import Clock
from models.db import Database
from models.service import ActionView
from models.settings import Settings
from models.tables import Action, Source
from models.wording import local_time


class Deps(Protocol):
    """What the conversation needs from whoever runs it (every front end's deps have it)."""

    settings: Settings
    db: Database
    clock: Clock


@dataclass
class Ctx:
    deps: Deps
    session: Session
    actor: str
    now: datetime
    today: date
    source: Source
    confirmed: bool = False

    @property
    def by(self) -> dict:
        """Who makes a change, how it came and when: what the service records of every
        change (`service.x(c.session, ref=…, **c.by)`)."""
        return {"actor": self.actor, "source": self.source, "now": self.now}

    @property
    def change(self) -> dict:
        """`by`, and whether its author confirmed a note the guardrail held: what every
        change that carries a note is given."""
        return {**self.by, "confirmed": self.confirmed}

    @property
    def tz(self) -> ZoneInfo:
        return self.deps.settings.tz

    def view(self, action: Action) -> ActionView:
        return service.action_views(self.session, actions=[action], today=self.today)[0]

    def when(self) -> str:
        return local_time(self.now, self.tz)


Op = Callable[..., Done]
OPS: dict[str, Op] = {}


def op(name: str) -> Callable[[Op], Op]:
    def deco(fn: Op) -> Op:
        OPS[name] = fn
        return fn

    return deco
