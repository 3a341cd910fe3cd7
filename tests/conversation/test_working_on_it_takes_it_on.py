"""An action handed to someone is theirs once they work on it: a note, a status or
"implemented" from the person it was offered to takes it on, as Accept does, so nobody is
left reading "not yet accepted" about work in hand, and the offer can no longer be declined
(through the real Bolt app, on SQLite and PostgreSQL)."""

from __future__ import annotations

from models import service
from tests.slack_helpers import LEAD, make_shell

NEW = "U0DIMISS01"  # the sample's DI for missing children


def _accepted(db, ref: str) -> bool:
    with db.read() as session:
        return service.get_action(session, ref=ref).owner_accepted


def test_a_note_from_the_new_owner_takes_the_action_on(sample, clock):
    shell, fake = make_shell(sample, clock, user=LEAD)
    try:
        shell.run(f"assign R9.1 <@{NEW}>")
        assert not _accepted(sample, "R9.1")
        shell.run(f"as {NEW}")
        assert "recorded" in shell.run("note R9.1 started on the CAID uploads backlog")
        assert _accepted(sample, "R9.1")
        mine = shell.run("mine")
        assert "[On track]" in mine and "[Accept]" not in mine
        assert "not yet accepted" not in shell.run("show R9.1")
        assert "not waiting for you to accept it" in shell.run("click Decline R9.1")
        with sample.read() as session:
            handovers = [
                (u.before, u.after, u.actor)
                for u in service.history(session, ref="R9.1")
                if u.field == "handover"
            ]
        assert handovers == [("offered", "accepted", NEW)]  # once, by them
    finally:
        fake.stop()


def test_a_lead_working_on_an_offered_action_leaves_the_offer_open(sample, clock):
    shell, fake = make_shell(sample, clock, user=LEAD)
    try:
        shell.run(f"assign R9.1 <@{NEW}>")
        assert "recorded" in shell.run("update R9.1 at risk waiting on the CAID licence")
        assert not _accepted(sample, "R9.1")  # only the person it is offered to can take it on
    finally:
        fake.stop()
