"""End to end: the real `ncpi-bot serve` subprocess, signed requests over HTTP, the Slack
stand-in and the database — on SQLite and on PostgreSQL (one server start per database)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.e2e_server import Server
from tests.slack_requests import FORM, JSON, SECRET, command_body, event_body, post, signature
from tests.slack_standin import SlackStandIn

pytestmark = pytest.mark.e2e

# A note that must never appear in the server's logs, whatever happens to its request.
NOTE = "note-marker-7f3a9 about the missing-children audit"


@pytest.fixture
def server(e2e_server: Server, slack_standin: SlackStandIn) -> Server:
    """The module's server, with the stand-in emptied for this test."""
    return e2e_server


def test_healthz_answers_when_the_database_does(server: Server) -> None:
    answer = server.health()
    assert (answer.status, answer.body) == (200, "ok\n")


def test_unknown_paths_and_methods(server: Server) -> None:
    assert post(f"{server.base}/healthz", "", {}).status == 405
    assert post(f"{server.base}/other", "", {}).status == 404


def test_slack_url_verification_handshake(server: Server) -> None:
    body = json.dumps({"token": "x", "challenge": "c-123", "type": "url_verification"})
    answer = server.post_signed(body, JSON)
    assert answer.status == 200 and "c-123" in answer.body


def test_signed_command_from_this_workspace_is_let_in(server: Server) -> None:
    answer = server.command("help")
    assert answer.status not in (401, 403, 500), answer


# -- refused: nothing reaches Slack, nothing changes ---------------------------------------


def _update_body(server: Server, **kw: str) -> str:
    return command_body(
        f"update R2.1 at risk {NOTE}", response_url=server.standin.response_url("cmd"), **kw
    )


REFUSALS = {
    "forged": lambda s, b: s.post_signed(b, FORM, secret="not-the-signing-secret"),
    "missing": lambda s, b: post(s.events_url, b, {"Content-Type": FORM}),
    "no-signature": lambda s, b: post(
        s.events_url, b, {"Content-Type": FORM, "X-Slack-Request-Timestamp": str(s.now)}
    ),
    "non-numeric-timestamp": lambda s, b: s.post_signed(b, FORM, timestamp="1764064800abc"),
    "five-minutes-stale": lambda s, b: s.post_signed(b, FORM, timestamp=s.now - 301),
    "five-minutes-ahead": lambda s, b: s.post_signed(b, FORM, timestamp=s.now + 301),
    "body-tampered": lambda s, b: post(
        s.events_url,
        b.replace("at+risk", "on+track"),
        {
            "Content-Type": FORM,
            "X-Slack-Request-Timestamp": str(s.now),
            "X-Slack-Signature": signature(SECRET, s.now, b),
        },
    ),
}


@pytest.mark.parametrize("how", list(REFUSALS))
def test_badly_signed_requests_get_401_and_change_nothing(server: Server, how: str) -> None:
    before = server.counts()
    answer = REFUSALS[how](server, _update_body(server))
    assert answer.status == 401
    assert server.counts() == before
    assert server.standin.calls == []


def test_signed_requests_from_another_workspace_or_app_change_nothing(server: Server) -> None:
    before = server.counts()
    other_team = server.post_signed(_update_body(server, team_id="T0ELSEWHERE"), FORM)
    other_app = server.post_signed(_update_body(server, app_id="A0ELSEWHERE"), FORM)
    other_event = server.post_signed(
        event_body(
            {"type": "app_home_opened", "user": "U0LEAD01", "tab": "home"}, team_id="T0ELSEWHERE"
        ),
        JSON,
    )
    assert [other_team.status, other_app.status, other_event.status] == [403, 403, 403]
    assert server.counts() == before
    assert server.standin.calls == []


def test_failed_signatures_leave_no_body_or_token_in_the_logs(server: Server) -> None:
    body = _update_body(server)
    assert server.post_signed(body, FORM, secret="forged").status == 401
    assert server.post_signed(body, FORM, timestamp="not-a-number").status == 401
    logs = server.logs()
    assert "refused a request with a missing, malformed, stale or wrong signature" in logs
    for secret in ("note-marker-7f3a9", server.standin.token, SECRET, "xoxb-", "v0="):
        assert secret not in logs


def test_malformed_bodies_are_400_or_413_not_500(server: Server) -> None:
    assert server.post_signed("payload=%7Bnot-json", FORM).status == 400
    headers = {"Content-Type": FORM, "X-Slack-Request-Timestamp": str(server.now)}
    request = urllib.request.Request(
        server.events_url, data=b"text=\xff\xfe", headers=headers, method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(request, timeout=10)
    assert e.value.code == 400
    assert server.post_signed("text=" + "x" * 1_100_000, FORM).status == 413
    assert server.standin.calls == []
