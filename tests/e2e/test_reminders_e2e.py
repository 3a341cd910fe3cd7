"""`ncpi-bot serve` with its scheduler on: reminders go out by themselves, once, and a
second replica started beside it sends nothing more."""

from __future__ import annotations

import pytest

from tests.e2e_server import start_server, wait_for_log
from tests.reminder_fixtures import keys_at

# At the fixed clock (Wed 25 Nov 2026 10:00 London) the sample owes three owners a due-date
# DM, one escalation to a manager and the (caught-up) weekly digest.
EXPECTED = 5
pytestmark = pytest.mark.e2e


def test_serve_sends_owed_reminders_on_its_own_once(tmp_path, slack_standin) -> None:
    db_url = f"sqlite:///{tmp_path / 'ncpi.db'}"
    env = {"NCPI_DIGEST_CHANNEL": "C0DIGEST"}
    first = start_server(db_url, slack_standin, tmp_path / "a.log", extra_env=env, args=())
    try:
        slack_standin.wait_for(
            "chat.postMessage", count=EXPECTED, timeout=60, where=lambda c: "metadata" in c.args
        )
        second = start_server(
            db_url, slack_standin, tmp_path / "b.log", load_sample=False, extra_env=env, args=()
        )
        try:
            # the second replica's first sweep finds every reminder already sent
            line = wait_for_log(second, r"reminder sweep at \S+: (\d+) owed, (\d+) sent")
            assert line.groups() == (str(EXPECTED), "0")
        finally:
            second.stop()
    finally:
        first.stop()
    keys = keys_at(slack_standin)
    assert len(keys) == EXPECTED and len(set(keys)) == EXPECTED, (keys, first.logs())
    assert any(k.startswith("digest|C0DIGEST|") for k in keys)
