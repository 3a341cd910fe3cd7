"""A correction typed within a minute is kept, and a repeat is still answered once: the
guard against double submits and replays never swallows a command that would change the
tracker from what the first answer left (SQLite and PostgreSQL, through the real Bolt app)."""

from __future__ import annotations

import json
from datetime import timedelta

from slack_bolt import BoltRequest

from bot.shell import requests
from bot.shell.fake_slack import APP_ID, CHANNEL, TEAM_ID
from models import service
from tests.slack_helpers import OWNER, counts, make_shell


def _status(db, ref: str) -> str:
    with db.read() as session:
        return str(service.get_action(session, ref=ref).status)


def _status_history(db, ref: str) -> list[tuple[str | None, str | None]]:
    with db.read() as session:
        return [
            (u.before, u.after) for u in service.history(session, ref=ref) if u.field == "status"
        ]


def test_on_track_at_risk_on_track_within_a_minute_ends_on_track(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        start = _status_history(sample, "R2.2")
        answers = []
        for n, word in enumerate(["on track", "at risk", "on track"]):
            clock.fixed += timedelta(seconds=20 * n)
            answers.append(shell.run(f"update R2.2 {word}"))
        assert "R2.2 — on track, recorded" in answers[0]
        assert "R2.2 — at risk, recorded" in answers[1]
        assert "R2.2 — on track, recorded" in answers[2]
        assert _status(sample, "R2.2") == "on_track"
        changes = _status_history(sample, "R2.2")[len(start) :]
        assert [after for _, after in changes][-2:] == ["at_risk", "on_track"]
        assert changes[-1][0] == "at_risk"  # the third was applied on top of the second
    finally:
        fake.stop()


def test_a_lead_correcting_the_owner_back_within_a_minute_is_kept(sample, clock):
    """The owner says on track, a lead puts it back to at risk, the owner says on track
    again: three changes; the third is not the owner's first answer handed back."""
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        assert _status(sample, "R2.2") == "at_risk"
        shell.run("update R2.2 on track")
        shell.run("as U0SAFELEAD")
        assert "R2.2 — at risk, recorded" in shell.run("update R2.2 at risk")
        shell.run(f"as {OWNER}")
        out = shell.run("update R2.2 on track")
        assert "R2.2 — on track, recorded" in out
        assert _status(sample, "R2.2") == "on_track"
    finally:
        fake.stop()


def test_pressing_enter_twice_still_records_once(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        first = shell.run("update R2.2 at risk waiting on IT")
        before = counts(sample)
        clock.fixed += timedelta(seconds=3)
        second = shell.run("update R2.2 at risk waiting on IT")
        assert second == first
        assert counts(sample) == before
    finally:
        fake.stop()


def test_a_command_replayed_four_minutes_later_is_applied_once(sample, clock):
    """The same signed request again (a client retry, or a captured body replayed inside
    Slack's five-minute signature window): the first answer, nothing recorded twice."""
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        body = requests.form(
            requests.command(
                "update R2.2 on track met the Athena product owner",
                user=OWNER,
                channel=CHANNEL,
                response_url=fake.response_url("replay"),
                trigger_id="4242.1717.replayed-trigger",
                team_id=TEAM_ID,
                app_id=APP_ID,
            )
        )
        headers = {"content-type": [requests.FORM]}
        shell.app.dispatch(BoltRequest(body=body, headers=headers))
        after_first = counts(sample)
        clock.fixed += timedelta(minutes=4)
        shell.app.dispatch(BoltRequest(body=body, headers=headers))
        assert counts(sample) == after_first
        said = [json.dumps(a) for m, a in fake.calls if m == "response_url"]
        assert len(said) == 2 and all("on track, note added" in s for s in said)
    finally:
        fake.stop()
