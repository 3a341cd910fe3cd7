"""Each interaction is applied at most once: a double click, the same click or form sent
again (a retry, a replayed request), a thread note delivered under a new event id. Keyed on
what Slack gives each request, so a different later change is never swallowed (SQLite and
PostgreSQL, through the real Bolt app)."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlencode

from slack_bolt import BoltRequest

from models import service
from tests.slack_helpers import OWNER, make_shell

PERSONAL = "update R2.2 at risk spoke to mum on 07700 900123"


class Recording:
    """Stands between the shell and the app: keeps every request body, so a test can send
    one again exactly (a replay) or with a new action_ts (a second click)."""

    def __init__(self, app) -> None:
        self.app, self.bodies = app, []

    def dispatch(self, req: BoltRequest):
        self.bodies.append((req.raw_body, req.headers.get("content-type", [""])[0]))
        return self.app.dispatch(req)

    def again(self, n: int = -1, change=None) -> None:
        body, kind = self.bodies[n]
        if change is not None:
            payload = json.loads(parse_qs(body)["payload"][0])
            change(payload)
            body = urlencode({"payload": json.dumps(payload)})
        self.app.dispatch(BoltRequest(body=body, headers={"content-type": [kind]}))


def _notes(db, ref: str) -> list[str]:
    with db.read() as session:
        return [u.note for u in service.history(session, ref=ref) if u.note]


def _shell(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    shell.app = Recording(shell.app)
    return shell, fake


def _new_click(payload: dict) -> None:
    payload["actions"][0]["action_ts"] = "1999999999.000001"


def test_keep_as_written_double_clicked_then_replayed_keeps_one_note(sample, clock):
    shell, fake = _shell(sample, clock)
    try:
        before = len(_notes(sample, "R2.2"))
        assert "phone number" in shell.run(PERSONAL)
        shell.run("click Keep as written")
        shell.app.again(change=_new_click)  # the second click of a double click
        clock.fixed += timedelta(minutes=4)
        shell.app.again()  # the same click, replayed
        assert len(_notes(sample, "R2.2")) == before + 1
    finally:
        fake.stop()


def test_the_same_form_submitted_twice_is_applied_once(sample, clock):
    shell, fake = _shell(sample, clock)
    try:
        before = len(_notes(sample, "R2.2"))
        shell.run("update R2.2")
        shell.run('submit status="on track" note="Athena fields agreed with the supplier"')
        shell.app.again()  # Submit clicked twice: the same view id and hash
        clock.fixed += timedelta(minutes=4)
        shell.app.again()
        assert len(_notes(sample, "R2.2")) == before + 1
    finally:
        fake.stop()


def test_a_thread_note_under_a_new_event_id_is_one_note(sample, clock):
    shell, fake = _shell(sample, clock)
    try:
        shell.run("as U0SAFELEAD")
        shell.run("due R2.2 31/03/2027")  # the owner gets a DM about R2.2
        shell.run(f"as {OWNER}")
        before = len(_notes(sample, "R2.2"))
        shell.run("reply supplier confirmed the March date")
        body, kind = shell.app.bodies[-1]
        event = json.loads(body)
        event["event_id"] = "Ev99999999"  # Slack delivering the same message again
        shell.app.app.dispatch(
            BoltRequest(body=json.dumps(event), headers={"content-type": [kind]})
        )
        assert _notes(sample, "R2.2")[before:] == ["supplier confirmed the March date"]
    finally:
        fake.stop()


def test_buttons_clicked_on_track_at_risk_on_track_end_on_track(sample, clock):
    """The double-click guard never swallows a correction made by button."""
    shell, fake = _shell(sample, clock)
    try:
        shell.run("mine")
        for word in ("On track", "At risk", "On track"):
            shell.run(f"click {word} R2.2")
            clock.fixed += timedelta(seconds=10)
        with sample.read() as session:
            assert service.get_action(session, ref="R2.2").status == "on_track"
    finally:
        fake.stop()


def test_a_replayed_command_body_is_still_answered(sample, clock):
    """The replayed request gets the first answer back, not an error."""
    shell, fake = _shell(sample, clock)
    try:
        shell.run("update R2.2 on track supplier booked")
        before = len(_notes(sample, "R2.2"))
        shell.app.again()
        said = [a for m, a in fake.calls if m == "response_url"]
        assert len(_notes(sample, "R2.2")) == before
        assert "on track" in json.dumps(said[-1])
    finally:
        fake.stop()
