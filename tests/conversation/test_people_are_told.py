"""The people a change concerns hear of it once: the previous owner when a handover is
declined, the leads when an action waits for them to verify (SQLite and PostgreSQL)."""

from __future__ import annotations

from bot.shell import FakeSlack
from tests.slack_helpers import LEAD, OTHER, OWNER, make_shell

DIGEST = "C0DIGEST01"


def _to(fake: FakeSlack, channel: str) -> list[str]:
    return [a["text"] for m, a in fake.calls if m == "chat.postMessage" and a["channel"] == channel]


def test_a_declined_handover_goes_back_to_its_previous_owner_and_they_are_told(sample, clock):
    shell, fake = make_shell(sample, clock)
    try:
        shell.run("assign R9.1 <@U0DIMISS01>")
        offered = _to(fake, OTHER)
        assert offered and "comes back to you" in offered[-1]
        shell.user = OWNER
        shell.run("click Decline R9.1")
        shell.run('submit reason="this sits with the MASH"')
        told = _to(fake, OTHER)[len(offered) :]
        assert len(told) == 1
        assert "back on your list" in told[0] and "this sits with the MASH" in told[0]
    finally:
        fake.stop()


def test_leads_are_told_once_by_dm_when_an_action_waits_for_them(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER)
    try:
        shell.run("done R2.2 https://intranet.example/athena-fields")
        told = _to(fake, LEAD)
        assert len(told) == 1
        assert "R2.2" in told[0] and "waiting for a lead to verify" in told[0]
        assert not _to(fake, OWNER)  # the owner is not told of their own change
    finally:
        fake.stop()


def test_with_a_digest_channel_the_leads_hear_there_once_not_each_by_dm(sample, clock):
    shell, fake = make_shell(sample, clock, user=OWNER, digest_channel=DIGEST)
    try:
        shell.run("done R2.2 https://intranet.example/athena-fields")
        assert len(_to(fake, DIGEST)) == 1 and "R2.2" in _to(fake, DIGEST)[0]
        assert not _to(fake, LEAD)
    finally:
        fake.stop()
