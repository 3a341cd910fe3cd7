"""What every operation is given (`Ctx`: the session, who, when) and the table of
operations by name (`OPS`), filled by `@op` as bot.ops' modules are imported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.reply import Reply
from bot.views.common import local_time
from models import service
from models.service import ActionView
from models.tables import Action, Source

if TYPE_CHECKING:
    from bot.deps import Deps


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
    def tz(self) -> ZoneInfo:
        return self.deps.settings.tz

    def view(self, action: Action) -> ActionView:
        return service.action_views(self.session, actions=[action], today=self.today)[0]

    def when(self) -> str:
        return local_time(self.now, self.tz)


Op = Callable[..., Reply]
OPS: dict[str, Op] = {}


def op(name: str) -> Callable[[Op], Op]:
    def deco(fn: Op) -> Op:
        OPS[name] = fn
        return fn

    return deco
