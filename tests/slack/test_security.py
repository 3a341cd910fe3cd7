"""Request security: Slack's published signing example, the injected clock, the workspace
check, and what gets logged — tested on SignatureVerifier and through the Bolt app."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk.signature import Clock as SignatureClock
from slack_sdk.signature import SignatureVerifier

from bot import security
from bot.app import Deps, create_app
from models.clock import Clock
from models.db import Database
from models.errors import ConfigError
from models.settings import load_settings
from tests.conftest import TZ
from tests.slack_requests import FORM, command_body, signed_headers
from tests.slack_standin import APP_ID, TEAM_ID, SlackStandIn

# Slack's own example (docs "Verifying requests from Slack"; python-slack-sdk's
# tests/slack_sdk/signature/test_signature_verifier.py).
EXAMPLE_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
EXAMPLE_TIMESTAMP = 1531420618
EXAMPLE_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
EXAMPLE_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
EXAMPLE_HEADERS = {
    "content-type": [FORM],
    "x-slack-request-timestamp": [str(EXAMPLE_TIMESTAMP)],
    "x-slack-signature": [EXAMPLE_SIGNATURE],
}


class FixedClock(SignatureClock):
    def __init__(self, now: float) -> None:
        self.at = now

    def now(self) -> float:
        return self.at


@pytest.mark.parametrize(("later", "valid"), [(0, True), (10, True), (300, True), (301, False)])
def test_published_example_with_the_verifier_clock_pinned(later: int, valid: bool) -> None:
    verifier = SignatureVerifier(EXAMPLE_SECRET, clock=FixedClock(EXAMPLE_TIMESTAMP + later))
    assert verifier.generate_signature(timestamp=str(EXAMPLE_TIMESTAMP), body=EXAMPLE_BODY) == (
        EXAMPLE_SIGNATURE
    )
    headers = {"X-Slack-Request-Timestamp": str(EXAMPLE_TIMESTAMP), "X-Slack-Signature": ""}
    headers["X-Slack-Signature"] = EXAMPLE_SIGNATURE
    assert verifier.is_valid_request(EXAMPLE_BODY, headers) is valid


def test_slack_sdks_verifier_raises_on_a_non_numeric_timestamp() -> None:
    """Why bot.security replaces Bolt's check: left alone this is a 500, not a 401."""
    verifier = SignatureVerifier(EXAMPLE_SECRET)
    with pytest.raises(ValueError):
        verifier.is_valid(EXAMPLE_BODY, "1531420618abc", EXAMPLE_SIGNATURE)


def make_app(
    standin: SlackStandIn,
    tmp_path: Path,
    *,
    at: float,
    secret: str = EXAMPLE_SECRET,
    team_id: str | None = "T1DC2JH3J",
    app_id: str | None = APP_ID,
    token: str | None = None,
) -> App:
    env = {
        "SLACK_API_URL": standin.api_url,
        "SLACK_BOT_TOKEN": token or standin.token,
        "SLACK_SIGNING_SECRET": secret,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}",
    }
    if team_id:
        env["SLACK_TEAM_ID"] = team_id
    if app_id:
        env["SLACK_APP_ID"] = app_id
    settings = load_settings(env)
    standin.add_user("U2CERLKJA", team_id="T1DC2JH3J")  # the example's user, a member there
    clock = Clock(TZ, datetime.fromtimestamp(at, UTC))
    app = create_app(Deps(settings=settings, db=Database(settings.database_url), clock=clock))
    app.command("/webhook-collect")(lambda ack: ack("collected"))
    return app


@pytest.mark.parametrize(("later", "status"), [(10, 200), (301, 401), (-301, 401)])
def test_published_example_through_the_app(
    slack_standin: SlackStandIn, tmp_path: Path, later: int, status: int
) -> None:
    app = make_app(slack_standin, tmp_path, at=EXAMPLE_TIMESTAMP + later)
    response = app.dispatch(BoltRequest(body=EXAMPLE_BODY, headers=EXAMPLE_HEADERS))
    assert response.status == status
    if status == 200:
        assert response.body == "collected"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"x-slack-request-timestamp": ["1531420618abc"], "x-slack-signature": [EXAMPLE_SIGNATURE]},
        {
            "x-slack-request-timestamp": ["１５３１４２０６１８"],
            "x-slack-signature": [EXAMPLE_SIGNATURE],
        },
        {"x-slack-request-timestamp": ["-1"], "x-slack-signature": [EXAMPLE_SIGNATURE]},
        {"x-slack-request-timestamp": ["9" * 400], "x-slack-signature": [EXAMPLE_SIGNATURE]},
        {"x-slack-request-timestamp": [str(EXAMPLE_TIMESTAMP)], "x-slack-signature": ["v0=00"]},
        {"x-slack-request-timestamp": [str(EXAMPLE_TIMESTAMP)]},
    ],
    ids=["none", "non-numeric", "unicode-digits", "negative", "huge", "forged", "no-signature"],
)
def test_bad_headers_are_a_quiet_401(
    slack_standin: SlackStandIn,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    headers: dict,
) -> None:
    app = make_app(slack_standin, tmp_path, at=EXAMPLE_TIMESTAMP + 10)
    caplog.set_level(logging.DEBUG)
    response = app.dispatch(BoltRequest(body=EXAMPLE_BODY, headers=headers))
    assert response.status == 401
    assert slack_standin.calls == []
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "refused a request" in logged
    for secret in ("xyzz0WbapA4vBCDEFasx0q6G", "roadrunner", EXAMPLE_SIGNATURE, "v0=00"):
        assert secret not in logged


def test_another_workspace_is_refused_even_when_signed(
    slack_standin: SlackStandIn, tmp_path: Path
) -> None:
    app = make_app(slack_standin, tmp_path, at=EXAMPLE_TIMESTAMP, team_id="T0OURS")
    response = app.dispatch(BoltRequest(body=EXAMPLE_BODY, headers=EXAMPLE_HEADERS))
    assert response.status == 403


def test_identity_learned_from_auth_test_and_bots_info(
    slack_standin: SlackStandIn, tmp_path: Path
) -> None:
    now = 1764064800
    app = make_app(slack_standin, tmp_path, at=now, secret="s3cret", team_id=None, app_id=None)
    security.learn(app)
    assert security.identity(app) == (TEAM_ID, APP_ID)
    assert slack_standin.methods() == ["auth.test", "bots.info"]

    def send(**kw: str) -> int:
        body = command_body("help", command="/webhook-collect", **kw)
        headers = {k.lower(): [v] for k, v in signed_headers("s3cret", now, body, FORM).items()}
        return app.dispatch(BoltRequest(body=body, headers=headers)).status

    assert send() == 200
    assert send(team_id="T0OTHER") == 403
    assert send(app_id="A0OTHER") == 403


def test_a_refused_token_stops_start_up_with_one_line(
    slack_standin: SlackStandIn, tmp_path: Path
) -> None:
    app = make_app(
        slack_standin, tmp_path, at=0, team_id=None, app_id=None, token="xoxb-revoked-0000"
    )
    with pytest.raises(ConfigError) as e:
        security.learn(app)
    assert "invalid_auth" in e.value.message and "xoxb-revoked" not in e.value.message
    assert "\n" not in e.value.message


def test_the_shell_installs_no_request_checks(slack_standin: SlackStandIn, tmp_path: Path) -> None:
    settings = load_settings(slack_standin.env())
    deps = Deps(settings=settings, db=Database(f"sqlite:///{tmp_path / 'x.db'}"), clock=Clock(TZ))
    app = create_app(deps, verify_requests=False)
    app.command("/webhook-collect")(lambda ack: ack("collected"))
    assert security.identity(app) == (None, None)
    unsigned = app.dispatch(BoltRequest(body=EXAMPLE_BODY, headers={"content-type": [FORM]}))
    assert (unsigned.status, unsigned.body) == (200, "collected")
    assert slack_standin.calls_to("users.info") == []


def test_a_listener_that_refuses_right_after_ack_still_answers_200(
    slack_standin: SlackStandIn, tmp_path: Path
) -> None:
    """Bolt resets ack.response when a listener raises after ack(); without StickyAck the
    dispatching thread can miss the ack and answer Slack 404 three seconds later."""
    now = EXAMPLE_TIMESTAMP
    app = make_app(slack_standin, tmp_path, at=now, secret="s3cret", team_id=TEAM_ID)
    app.error(lambda error: None)

    @app.command("/refuse")
    def refuse(ack) -> None:
        ack()
        raise ConfigError("not yours")

    body = command_body("x", command="/refuse")
    headers = {k.lower(): [v] for k, v in signed_headers("s3cret", now, body, FORM).items()}
    for _ in range(20):
        response = app.dispatch(BoltRequest(body=body, headers=headers))
        assert response.status == 200


def test_sticky_ack_keeps_its_answer() -> None:
    ack = security.StickyAck()
    ack.response = None  # before ack(): Bolt may set it freely
    ack()
    answered = ack.response
    ack.response = None
    assert ack.response is answered is not None


def test_socket_mode_requests_skip_the_signature_but_not_the_workspace_check(
    slack_standin: SlackStandIn, tmp_path: Path
) -> None:
    """Socket Mode requests come over the app-level WebSocket (no signature headers); the
    workspace and app check still applies to them."""
    app = make_app(slack_standin, tmp_path, at=0, secret="s3cret", team_id=TEAM_ID)

    def send(**kw: str) -> int:
        body = dict(parse_qsl(command_body("help", command="/webhook-collect", **kw)))
        return app.dispatch(BoltRequest(body=body, mode="socket_mode")).status

    assert send() == 200
    assert send(team_id="T0OTHER") == 403
    assert send(app_id="A0OTHER") == 403
