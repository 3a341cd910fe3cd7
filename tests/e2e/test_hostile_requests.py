"""Hostile requests against the real `ncpi-bot serve`: junk that is not a Slack payload is
refused before anything else runs, with a 400 or 401 and one log line — never a 500 or a
traceback."""

from __future__ import annotations

import pytest

from tests.e2e_server import Server
from tests.slack_requests import FORM, JSON, post

pytestmark = pytest.mark.e2e

DEEP = "[" * 100_000 + "]" * 100_000
JUNK = [
    ("[]", JSON),
    ("123", JSON),
    ("null", JSON),
    ('"text"', JSON),
    (DEEP, JSON),
    ('{"team": 5, "user": [1], "type": {"x": 1}}', JSON),
    ("payload=%5B%5D", FORM),
    ("payload=null", FORM),
    ("payload=" + "%5B" * 50_000, FORM),
]


@pytest.mark.parametrize(("body", "content_type"), JUNK, ids=range(len(JUNK)))
def test_unsigned_junk_is_refused_with_one_log_line(
    e2e_server: Server, body: str, content_type: str
) -> None:
    before = e2e_server.logs()
    answer = post(e2e_server.events_url, body, {"Content-Type": content_type})
    assert answer.status in (400, 401)
    new = e2e_server.logs()[len(before) :]
    assert "Traceback" not in new
    ours = [line for line in new.splitlines() if "uvicorn.access" not in line]
    assert len(ours) <= 1, new


def test_junk_signed_as_slack_would_is_still_a_400_not_a_500(e2e_server: Server) -> None:
    for body, content_type in JUNK:
        before = e2e_server.logs()
        assert e2e_server.post_signed(body, content_type).status in (400, 401)
        assert "Traceback" not in e2e_server.logs()[len(before) :]
    assert e2e_server.command("help").status == 200
