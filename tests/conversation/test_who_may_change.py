"""The domain's rules for who may change an action and from where (the buttons a row
offers, the forms that open, the thread a reply is about), on both databases; the Slack
side only draws what these allow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from models import service
from models.errors import Forbidden, LeadOnly
from models.sample import LEAD
from models.service import Change
from models.tables import Source
from tests.conftest import NOW

TODAY = date(2026, 11, 25)
OWNER_21 = "U0CCRINSP1"  # owns R2.1 in the sample
READER = "U0NEWCOMER"
PROGRESS = (Change.ON_TRACK, Change.AT_RISK, Change.IMPLEMENTED, Change.UPDATE)


@dataclass
class Row:
    status: str
    owner: str | None = OWNER_21
    owner_accepted: bool = True


def test_a_reader_sees_no_change_buttons():
    assert service.allowed_changes(Row("on_track"), viewer=READER, lead=False) == ()


def test_the_owner_and_a_lead_report_progress():
    assert service.allowed_changes(Row("at_risk"), viewer=OWNER_21, lead=False) == PROGRESS
    assert service.allowed_changes(Row("at_risk"), viewer=LEAD, lead=True) == PROGRESS


def test_only_a_lead_verifies_or_returns_an_implemented_action():
    done = Row("implemented")
    assert service.allowed_changes(done, viewer=LEAD, lead=True) == (Change.VERIFY, Change.RETURN)
    assert service.allowed_changes(done, viewer=OWNER_21, lead=False) == ()


def test_the_person_an_action_is_offered_to_accepts_or_declines_it():
    offered = Row("on_track", owner=READER, owner_accepted=False)
    assert service.allowed_changes(offered, viewer=READER, lead=False) == (
        Change.ACCEPT,
        Change.DECLINE,
    )
    assert service.allowed_changes(offered, viewer=LEAD, lead=True) == PROGRESS


@pytest.mark.parametrize("status", ["verified", "withdrawn"])
def test_a_closed_action_offers_nothing(status):
    assert service.allowed_changes(Row(status), viewer=LEAD, lead=True) == ()


def test_an_owner_cannot_decline_an_action_not_handed_to_them(sample):
    with sample.read() as s, pytest.raises(Forbidden, match="not waiting for you to accept"):
        service.action_to_decline(s, ref="R2.1", actor=OWNER_21, today=TODAY)


def test_the_decline_form_opens_for_the_person_it_is_offered_to(sample):
    with sample.write() as s:
        service.assign_action(
            s, ref="R2.1", owner=READER, actor=LEAD, source=Source.COMMAND, now=NOW
        )
    with sample.read() as s:
        assert service.action_to_decline(s, ref="R2.1", actor=READER, today=TODAY).ref == "R2.1"


def test_a_change_form_opens_only_for_its_owner_or_a_lead(sample):
    with sample.read() as s:
        assert service.action_for_change(s, ref="R2.1", actor=OWNER_21, today=TODAY).ref == "R2.1"
        with pytest.raises(Forbidden, match="only its owner or a lead"):
            service.action_for_change(s, ref="R2.1", actor=READER, today=TODAY)
        with pytest.raises(LeadOnly, match="Only a lead can return actions"):
            service.action_for_change(
                s, ref="R2.1", actor=OWNER_21, today=TODAY, lead_only="return actions"
            )


def _dm(db, *refs: str, ts: str = "1700000000.000100") -> None:
    with db.write() as s:
        ids = [service.get_action(s, ref=r).id for r in refs]
        for _ in range(2):  # recorded once, however often it is said
            service.record_dm(
                s,
                channel="D0OWNER01",
                ts=ts,
                recipient=OWNER_21,
                kind="due",
                action_ids=ids,
                now=NOW,
            )


def test_a_reply_under_a_dm_about_two_actions_is_about_both(sample):
    """The listener asks which one (test_slack_app's ..._about_several_actions_asks_which)."""
    _dm(sample, "R9.1", "R9.2")
    with sample.read() as s:
        views = service.thread_actions(
            s, channel="D0OWNER01", thread="1700000000.000100", today=TODAY
        )
        assert [v.ref for v in views] == ["R9.1", "R9.2"]
        assert service.thread_actions(s, channel="D0OWNER01", thread="1.2", today=TODAY) == []


def test_a_reply_is_taken_once_however_often_it_is_delivered(sample):
    for first in (True, False):
        with sample.write() as s:
            assert service.claim_reply(s, channel="D1", ts="1.5", actor=OWNER_21, now=NOW) is first


def test_a_decline_tells_whoever_offered_the_action(sample):
    with sample.write() as s:
        service.assign_action(
            s, ref="R2.1", owner=READER, actor=LEAD, source=Source.COMMAND, now=NOW
        )
    with sample.write() as s:
        h = service.decline_handover(
            s, ref="R2.1", actor=READER, reason="wrong team", source=Source.BUTTON, now=NOW
        )
    assert (h.offered_by, h.new_owner) == (LEAD, OWNER_21)


def test_the_verify_queue_is_the_implemented_actions(sample):
    with sample.write() as s:
        service.mark_implemented(
            s, ref="R2.1", actor=OWNER_21, evidence="CCR audit", source=Source.BUTTON, now=NOW
        )
    with sample.read() as s:
        assert [a.ref for a in service.summary(s, today=TODAY).to_verify] == ["R2.1"]


def test_only_a_lead_is_offered_recommendations_to_add_to(sample):
    with sample.read() as s:
        choices = service.recs_to_add_to(s, actor=LEAD, inspection=None)
        assert choices[0][:2] == ("NCPI:R1", "R1")
        with pytest.raises(LeadOnly, match="Only a lead can add actions"):
            service.recs_to_add_to(s, actor=OWNER_21, inspection=None)
