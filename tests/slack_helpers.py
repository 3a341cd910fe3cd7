"""Drive the real Bolt app in-process: through the shell adapter (bot/shell/), or signed, as
served, against the Slack stand-in (`make_app`, `run`)."""

from __future__ import annotations

from slack_bolt import App, BoltRequest
from sqlmodel import func, select

from bot.app import Deps, create_app
from bot.shell import FakeSlack, Shell
from models.clock import Clock
from models.db import Database
from models.sample import LEAD
from models.settings import Settings, load_settings
from models.tables import Action, Update
from tests.slack_requests import FORM, command_body, signed_headers
from tests.slack_standin import APP_ID, TEAM_ID, SlackStandIn

OWNER = "U0DIMISS01"  # owns R2.2 in the sample
OWNER_21 = "U0CCRINSP1"  # owns R2.1 in the sample
OTHER = "U0DIICAIT1"  # owns R4.1, R4.2, R9.1, R9.2
SIGNING_SECRET = "members-only-secret"  # make_app's


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


def make_app(standin: SlackStandIn, db: Database, clock: Clock, **env: str) -> App:
    """The Bolt app as served (signatures checked), its Slack the stand-in, more settings from
    `env`."""
    settings = load_settings(
        {
            **standin.env(),
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_TEAM_ID": TEAM_ID,
            "SLACK_APP_ID": APP_ID,
            "DATABASE_URL": "sqlite:///unused.db",
            **env,
        }
    )
    return create_app(Deps(settings=settings, db=db, clock=clock), process_before_response=True)


def run(app: App, clock: Clock, text: str, *, user: str, standin: SlackStandIn, key: str):
    """`/ncpi TEXT` from `user`, signed, through `app`; its response_url is the stand-in's `key`."""
    body = command_body(text, user=user, response_url=standin.response_url(key))
    headers = signed_headers(SIGNING_SECRET, int(clock.now().timestamp()), body, FORM)
    return app.dispatch(
        BoltRequest(body=body, headers={k.lower(): [v] for k, v in headers.items()})
    )
