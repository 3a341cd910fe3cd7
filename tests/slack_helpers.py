"""Drive the real Bolt app in-process through the shell adapter (bot/shell/)."""

from __future__ import annotations

from sqlmodel import func, select

from bot.app import Deps, create_app
from bot.shell import FakeSlack, Shell
from models.settings import Settings
from models.tables import Action, Update

LEAD = "U0SAFELEAD"
OWNER = "U0DIMISS01"  # owns R2.2 in the sample
OTHER = "U0DIICAIT1"  # owns R9.1, R9.2


def make_shell(db, clock, *, user: str = LEAD, **settings) -> tuple[Shell, FakeSlack]:
    fake = FakeSlack(user=user)
    deps = Deps(
        Settings(slack_api_url=fake.api_url, slack_bot_token=fake.token, **settings), db, clock
    )
    app = create_app(deps, verify_requests=False, process_before_response=True)
    return Shell(app, fake, user=user), fake


def counts(db) -> tuple[int, int]:
    with db.read() as session:
        return (
            session.exec(select(func.count()).select_from(Update)).one(),
            session.exec(select(func.count()).select_from(Action)).one(),
        )
