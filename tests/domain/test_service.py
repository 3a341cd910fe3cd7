"""Tracker operations on both databases: what a lead or an owner sees change, and that a
refusal changes nothing at all."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import select

from conversation.plain import summary_text
from models import service
from models.errors import Forbidden, NotFound, UsageError
from models.sample import LEAD
from models.tables import (
    Inspection,
    Member,
    RecStatus,
    Source,
    Status,
    Update,
)
from tests.conftest import NOW, TODAY, TZ
from tests.factories import refusal_snapshot, refused, run
from tests.slack_helpers import OTHER, OWNER_21

LATER = NOW + timedelta(hours=1)
OWNER_22 = "U0DIMISS01"  # owns R2.2 in the sample
NEWCOMER = "U0NEWCOMER"
LEAD2 = "U0DCIPVP01"  # the sample's second lead
CMD = Source.COMMAND


def history_of(db, ref: str) -> list[Update]:
    with db.read() as s:
        return service.history(s, ref=ref)


def show(db, ref: str) -> service.ActionView:
    with db.read() as s:
        return service.show_action(s, ref=ref, today=TODAY)


def assert_rows_stamped(rows: list[Update], *, actor: str, source: str, at: datetime = NOW):
    for row in rows:
        assert row.actor == actor
        assert row.source == source
        assert row.at == at and row.at.utcoffset() == timedelta(0)


# -- add / assign / handover --------------------------------------------------------------------


def test_lead_adds_an_action_with_owner_and_due_date(sample):
    due = date(2027, 1, 29)
    action = run(
        sample,
        service.add_action,
        rec="r2",
        title="  Train   CCR staff in THRIVE  ",
        owner=NEWCOMER,
        due=due,
        actor=LEAD,
        source=CMD,
        now=NOW,
    )
    assert action.number == 3
    view = show(sample, "R2.3")
    assert (view.title, view.owner, view.due, view.status) == (
        "Train CCR staff in THRIVE",
        NEWCOMER,
        due,
        Status.NOT_STARTED,
    )
    assert view.owner_accepted is False  # the new owner is offered it, Accept/Decline
    rows = history_of(sample, "R2.3")
    assert [(r.field, r.before, r.after) for r in rows] == [
        ("created", None, "Train CCR staff in THRIVE"),
        ("owner", None, NEWCOMER),
        ("due", None, "2027-01-29"),
    ]
    assert_rows_stamped(rows, actor=LEAD, source="command")


def test_lead_adds_an_action_to_a_recommendation_with_none_yet(sample):
    run(
        sample,
        service.add_action,
        rec="R1",
        title="Partnership escalation protocol reviewed",
        owner=None,
        due=None,
        actor=LEAD,
        source=CMD,
        now=NOW,
    )
    assert show(sample, "R1.1").owner is None


def test_lead_assigns_and_new_owner_accepts(sample):
    handover = run(
        sample,
        service.assign_action,
        ref="R2.1",
        owner=NEWCOMER,
        actor=LEAD,
        source=CMD,
        now=NOW,
        note="covering while on course",
    )
    assert (handover.ref, handover.previous_owner, handover.new_owner) == (
        "R2.1",
        OWNER_21,
        NEWCOMER,
    )
    assert show(sample, "R2.1").owner_accepted is False
    run(
        sample, service.accept_handover, ref="R2.1", actor=NEWCOMER, source=Source.BUTTON, now=LATER
    )
    view = show(sample, "R2.1")
    assert (view.owner, view.owner_accepted) == (NEWCOMER, True)
    rows = history_of(sample, "R2.1")[-2:]
    assert [(r.field, r.before, r.after, r.note, r.actor, r.source) for r in rows] == [
        ("owner", OWNER_21, NEWCOMER, "covering while on course", LEAD, "command"),
        ("handover", "offered", "accepted", None, NEWCOMER, "button"),
    ]


def test_declined_handover_goes_back_to_the_previous_owner(sample):
    run(sample, service.assign_action, ref="R2.1", owner=NEWCOMER, actor=LEAD, source=CMD, now=NOW)
    handover = run(
        sample,
        service.decline_handover,
        ref="R2.1",
        actor=NEWCOMER,
        reason="I have left the CCR",
        source=Source.MODAL,
        now=LATER,
    )
    assert (handover.previous_owner, handover.new_owner) == (NEWCOMER, OWNER_21)
    view = show(sample, "R2.1")
    assert (view.owner, view.owner_accepted) == (OWNER_21, True)
    last = history_of(sample, "R2.1")[-1]
    assert (last.field, last.before, last.after, last.actor) == (
        "owner",
        NEWCOMER,
        OWNER_21,
        NEWCOMER,
    )
    assert "I have left the CCR" in last.note


def withdraw_r21(db) -> None:
    run(
        db,
        service.withdraw_action,
        ref="R2.1",
        actor=LEAD,
        reason="superseded by the MASH review",
        source=CMD,
        now=NOW,
    )


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_a_handover_of_a_withdrawn_action_cannot_be_answered(sample, answer):
    """Withdrawn while on offer: the offered owner can neither take it nor hand it back."""
    run(sample, service.assign_action, ref="R2.1", owner=NEWCOMER, actor=LEAD, source=CMD, now=NOW)
    withdraw_r21(sample)
    kw = dict(ref="R2.1", actor=NEWCOMER, source=Source.BUTTON, now=LATER)
    if answer == "accept":
        message = refused(sample, service.accept_handover, UsageError, **kw)
    else:
        message = refused(sample, service.decline_handover, UsageError, reason="no", **kw)
    assert "withdrawn" in message and "reinstate R2.1" in message


HELD_NOTE = "call 07700 900123"  # the guardrail asks before keeping it
WITHDRAWN_REFUSALS = {
    "update": (service.update_action, dict(actor=OWNER_21, status=Status.AT_RISK, note=HELD_NOTE)),
    "done": (service.mark_implemented, dict(actor=OWNER_21, evidence=HELD_NOTE)),
    "verify": (service.verify_action, dict(actor=LEAD, note=HELD_NOTE)),
    "due": (service.set_due, dict(actor=LEAD, due=date(2027, 3, 1), reason=HELD_NOTE)),
    "assign": (service.assign_action, dict(actor=LEAD, owner=NEWCOMER, note=HELD_NOTE)),
}


@pytest.mark.parametrize("op", list(WITHDRAWN_REFUSALS))
def test_a_withdrawn_action_takes_no_change_and_says_so_before_asking_about_a_note(sample, op):
    """Withdrawn: every change is refused with how to bring it back, and a note that would
    need confirming is not asked about first (confirming it would only meet the refusal)."""
    withdraw_r21(sample)
    fn, kw = WITHDRAWN_REFUSALS[op]
    message = refused(sample, fn, UsageError, ref="R2.1", source=CMD, now=LATER, **kw)
    assert "R2.1 has been withdrawn" in message and "`reinstate R2.1`" in message, message


def test_declined_handover_skips_an_offer_nobody_accepted(sample):
    """A→B offered, then re-offered to C before B answered; C declines: back to A, not B."""
    run(sample, service.assign_action, ref="R2.1", owner=NEWCOMER, actor=LEAD, source=CMD, now=NOW)
    run(sample, service.assign_action, ref="R2.1", owner=OWNER_22, actor=LEAD, source=CMD, now=NOW)
    handover = run(
        sample,
        service.decline_handover,
        ref="R2.1",
        actor=OWNER_22,
        reason="not my area",
        source=CMD,
        now=LATER,
    )
    assert handover.new_owner == OWNER_21
    assert show(sample, "R2.1").owner == OWNER_21


def test_declined_handover_goes_back_to_an_owner_set_by_import(sample):
    with sample.write() as s:  # as `ncpi-bot import` records an owner change
        action = service.get_action(s, ref="R2.1")
        action.owner = OTHER
        service.record(
            s,
            inspection_id=service.get_inspection(s).id,
            actor="import",
            now=NOW,
            source=Source.IMPORT,
            field="owner",
            before=OWNER_21,
            after=OTHER,
            action=action,
        )
    run(sample, service.assign_action, ref="R2.1", owner=NEWCOMER, actor=LEAD, source=CMD, now=NOW)
    run(
        sample,
        service.decline_handover,
        ref="R2.1",
        actor=NEWCOMER,
        reason="no",
        source=CMD,
        now=NOW,
    )
    assert show(sample, "R2.1").owner == OTHER


def test_declining_a_new_action_leaves_it_unowned_for_the_lead(sample):
    run(
        sample,
        service.add_action,
        rec="R6",
        title="Review MACE terms of reference",
        owner=NEWCOMER,
        due=None,
        actor=LEAD,
        source=CMD,
        now=NOW,
    )
    handover = run(
        sample,
        service.decline_handover,
        ref="R6.2",
        actor=NEWCOMER,
        reason="wrong team",
        source=CMD,
        now=NOW,
    )
    assert handover.new_owner == ""
    assert show(sample, "R6.2").owner is None


def test_lead_changes_a_due_date_with_a_reason(sample):
    run(
        sample,
        service.set_due,
        ref="R2.1",
        due=date(2027, 2, 26),
        actor=LEAD,
        source=CMD,
        now=NOW,
        reason="new rota starts in February",
    )
    view = show(sample, "R2.1")
    assert view.due == date(2027, 2, 26)
    assert view.rag == service.Rag.AMBER  # no longer overdue; still at risk
    last = history_of(sample, "R2.1")[-1]
    assert (last.field, last.before, last.after, last.note) == (
        "due",
        "2026-11-20",
        "2027-02-26",
        "new rota starts in February",
    )


# -- updates and the assurance lifecycle --------------------------------------------------------


def test_owner_updates_status_with_a_note(sample):
    run(
        sample,
        service.update_action,
        ref="r2.2",
        actor=OWNER_22,
        status=Status.ON_TRACK,
        note="Athena fields now compulsory",
        source=Source.THREAD,
        now=NOW,
    )
    assert show(sample, "R2.2").status == Status.ON_TRACK
    last = history_of(sample, "R2.2")[-1]
    assert (last.field, last.before, last.after, last.note, last.actor, last.source) == (
        "status",
        "at_risk",
        "on_track",
        "Athena fields now compulsory",
        OWNER_22,
        "thread",
    )


def test_a_note_without_a_status_change_is_kept(sample):
    run(
        sample,
        service.update_action,
        ref="R2.2",
        actor=OWNER_22,
        status=Status.AT_RISK,  # unchanged
        note="still waiting on IT",
        source=CMD,
        now=NOW,
    )
    last = history_of(sample, "R2.2")[-1]
    assert (last.field, last.note) == ("note", "still waiting on IT")
    assert show(sample, "R2.2").status == Status.AT_RISK


def test_lead_may_update_anyones_action(sample):
    run(
        sample,
        service.update_action,
        ref="R2.1",
        actor=LEAD2,
        status=Status.BLOCKED,
        note=None,
        source=CMD,
        now=NOW,
    )
    assert show(sample, "R2.1").status == Status.BLOCKED


def test_owner_marks_implemented_then_lead_verifies(sample):
    run(
        sample,
        service.mark_implemented,
        ref="R9.2",
        actor=OTHER,
        evidence="https://intranet.example/caid-uploads.pdf",
        source=Source.BUTTON,
        now=NOW,
    )
    view = show(sample, "R9.2")
    assert view.status == Status.IMPLEMENTED
    assert view.evidence == "https://intranet.example/caid-uploads.pdf"
    run(sample, service.verify_action, ref="R9.2", actor=LEAD, source=CMD, now=LATER, note="seen")
    view = show(sample, "R9.2")
    assert (view.status, view.rag) == (Status.VERIFIED, service.Rag.COMPLETE)
    rows = history_of(sample, "R9.2")[-3:]
    assert [(r.field, r.before, r.after, r.actor) for r in rows] == [
        ("status", "on_track", "implemented", OTHER),
        ("evidence", None, "https://intranet.example/caid-uploads.pdf", OTHER),
        ("status", "implemented", "verified", LEAD),
    ]
    assert rows[-1].at == LATER


def test_update_to_implemented_keeps_both_note_and_evidence(sample):
    run(
        sample,
        service.update_action,
        ref="R4.1",
        actor=OTHER,
        status=Status.IMPLEMENTED,
        note="all response officers trained",
        evidence="https://intranet.example/training-log",
        source=Source.MODAL,
        now=NOW,
    )
    assert show(sample, "R4.1").status == Status.IMPLEMENTED
    rows = history_of(sample, "R4.1")
    notes = [r.note for r in rows] + [r.after for r in rows]
    assert "all response officers trained" in notes
    assert "https://intranet.example/training-log" in notes


def test_update_to_implemented_uses_the_note_as_evidence(sample):
    run(
        sample,
        service.update_action,
        ref="R4.1",
        actor=OTHER,
        status=Status.IMPLEMENTED,
        note="training register signed off at board",
        source=CMD,
        now=NOW,
    )
    assert show(sample, "R4.1").evidence == "training register signed off at board"


def test_lead_returns_implemented_action_with_reason(sample):
    run(
        sample,
        service.mark_implemented,
        ref="R9.2",
        actor=OTHER,
        evidence="uploads dashboard",
        source=CMD,
        now=NOW,
    )
    run(
        sample,
        service.return_action,
        ref="R9.2",
        actor=LEAD,
        reason="dashboard does not show training",
        source=CMD,
        now=LATER,
    )
    assert show(sample, "R9.2").status == Status.ON_TRACK
    last = history_of(sample, "R9.2")[-1]
    assert (last.before, last.after) == ("implemented", "on_track")
    assert "dashboard does not show training" in last.note


# -- recommendations ------------------------------------------------------------------------------


def test_lead_signs_off_and_reopens_a_recommendation(sample):
    rec = run(
        sample, service.sign_off, rec="R6", actor=LEAD, source=CMD, now=NOW, today=TODAY, note="APP"
    )
    assert (rec.status, rec.signed_off_on) == (RecStatus.SIGNED_OFF, TODAY)
    with sample.read() as s:
        assert 6 in [r.number for r in service.summary(s, today=TODAY).signed_off]
    run(sample, service.reopen, rec="R6", actor=LEAD, source=CMD, now=LATER)
    with sample.read() as s:
        s6 = service.summary(s, today=TODAY, rec="R6").recs[0]
    assert (s6.status, s6.signed_off_on) == (RecStatus.OUTSTANDING, None)
    rows = [r for r in history_of(sample, "R6") if r.field == "rec_status"]
    assert [(r.before, r.after, r.note) for r in rows] == [
        ("outstanding", "signed_off", "APP"),
        ("signed_off", "outstanding", None),
    ]


# -- members --------------------------------------------------------------------------------------


def _member(db, user_id: str) -> Member:
    with db.read() as s:
        return s.get(Member, user_id)


def _member_rows(db, user_id: str, field: str) -> list[Update]:
    with db.read() as s:
        return list(
            s.exec(
                select(Update)
                .where(Update.actor == user_id, Update.field == field)
                .order_by(Update.id)
            ).all()
        )


def test_away_and_back(sample):
    run(
        sample,
        service.set_away,
        actor=OTHER,
        until=date(2027, 1, 4),
        today=TODAY,
        now=NOW,
        source=CMD,
    )
    assert _member(sample, OTHER).away_until == date(2027, 1, 4)
    assert service.is_away(_member(sample, OTHER), TODAY)
    run(sample, service.set_back, actor=OTHER, now=LATER, source=CMD)
    assert _member(sample, OTHER).away_until is None
    rows = _member_rows(sample, OTHER, "away_until")
    assert [(r.before, r.after) for r in rows] == [(None, "2027-01-04"), ("2027-01-04", None)]


def test_someone_new_can_go_away(sample):
    run(
        sample,
        service.set_away,
        actor=NEWCOMER,
        until=date(2026, 12, 1),
        today=TODAY,
        now=NOW,
        source=CMD,
    )
    assert _member(sample, NEWCOMER).away_until == date(2026, 12, 1)


def test_snooze_pauses_until_a_day(sample):
    run(
        sample,
        service.snooze,
        actor=OTHER,
        until=date(2026, 11, 26),
        today=TODAY,
        now=NOW,
        source=Source.BUTTON,
    )
    assert _member(sample, OTHER).snoozed_until == date(2026, 11, 26)
    assert [r.after for r in _member_rows(sample, OTHER, "snoozed_until")] == ["2026-11-26"]


# -- panel meetings ----------------------------------------------------------------------------


def test_panel_add_list_remove(sample):
    meeting = run(
        sample,
        service.add_panel,
        day=date(2027, 3, 5),
        at=time(14, 0),
        paper_ref="AP27/02",
        actor=LEAD,
        now=NOW,
        tz=TZ,
        source=CMD,
        today=TODAY,
    )
    assert meeting.starts_at == datetime(2027, 3, 5, 14, 0, tzinfo=UTC)  # GMT in March
    with sample.read() as s:
        days = [p.day for p in service.list_panels(s)]
    assert days == [date(2024, 1, 19), date(2026, 12, 18), date(2027, 3, 5)]
    run(sample, service.remove_panel, day=date(2027, 3, 5), actor=LEAD, now=LATER, source=CMD)
    with sample.read() as s:
        assert date(2027, 3, 5) not in [p.day for p in service.list_panels(s)]
        rows = s.exec(select(Update).where(Update.field == "panel").order_by(Update.id)).all()
    assert [(r.before, r.after) for r in rows] == [
        (None, "2027-03-05 AP27/02"),
        ("2027-03-05 AP27/02", "cancelled"),
    ]


def test_panel_in_summer_is_stored_in_utc(sample):
    meeting = run(
        sample,
        service.add_panel,
        day=date(2027, 7, 16),
        at=None,
        paper_ref=None,
        actor=LEAD,
        now=NOW,
        tz=TZ,
        source=CMD,
        today=TODAY,
    )
    assert meeting.starts_at == datetime(2027, 7, 16, 9, 0, tzinfo=UTC)  # 10:00 BST


# -- reading ---------------------------------------------------------------------------------


def test_summary_counts_and_next_panel(sample):
    with sample.read() as s:
        summ = service.summary(s, today=TODAY)
    assert [r.number for r in summ.outstanding] == [2, 4, 6, 9]
    assert [r.number for r in summ.signed_off] == [1, 3, 5, 7, 8, 10]
    assert summ.next_panel.day == date(2026, 12, 18)
    assert summ.next_panel.days_away == 23
    assert len(summ.open_actions) == 10
    assert summ.overdue_count == 2  # R2.1 and R9.1
    assert summ.count(service.Rag.RED) == 2
    assert summ.count(service.Rag.AMBER) == 1  # R2.2 at risk
    assert summ.count(service.Rag.GREEN) == 7
    r2 = summ.recs[1]
    assert r2.rag_counts == {"red": 1, "amber": 1}
    assert [a.ref for a in r2.overdue] == ["R2.1"]
    assert r2.overdue[0].overdue_working_days == 3  # due Fri 20 Nov, today Wed 25
    assert len(r2.sub_points) == 5


def test_summary_of_one_recommendation(sample):
    with sample.read() as s:
        summ = service.summary(s, today=TODAY, rec="R9")
    assert [r.number for r in summ.recs] == [9]
    assert [a.ref for a in summ.recs[0].actions] == ["R9.1", "R9.2"]


def test_verified_action_leaves_the_open_counts(sample):
    run(
        sample,
        service.mark_implemented,
        ref="R6.1",
        actor="U0MARACLD1",
        evidence="minutes",
        source=CMD,
        now=NOW,
    )
    run(sample, service.verify_action, ref="R6.1", actor=LEAD, source=CMD, now=NOW)
    with sample.read() as s:
        summ = service.summary(s, today=TODAY)
    assert len(summ.open_actions) == 9
    assert summ.recs[5].rag_counts == {}


def test_my_actions_soonest_first(sample):
    with sample.read() as s:
        mine = service.my_actions(s, actor=OTHER, today=TODAY)
    assert [a.ref for a in mine] == ["R9.1", "R4.2", "R4.1", "R9.2"]
    assert mine[0].overdue_working_days == 8 and mine[0].rag == service.Rag.RED
    with sample.read() as s:
        assert service.my_actions(s, actor=NEWCOMER, today=TODAY) == []


def test_show_action(sample):
    view = show(sample, "2.1")
    assert view.ref == "R2.1"
    assert view.owner_name == "Inspector, Contact and Control Room (sample)"
    assert (view.status, view.rag, view.overdue_working_days) == (
        Status.AT_RISK,
        service.Rag.RED,
        3,
    )
    assert view.last_update == NOW


def test_history_of_a_recommendation_includes_its_actions(sample):
    rows = [r for r in history_of(sample, "R2") if r.action_id is not None]
    assert len(rows) == 2  # the rest are R2's own rows: the paper's paragraphs the sample wrote
    assert all(r.field == "created" and r.source == "import" for r in rows)


def test_history_is_append_only(sample):
    """Earlier rows are never edited or deleted by later changes."""
    ops = [
        dict(
            fn=service.update_action, ref="R2.1", actor=OWNER_21, status=Status.ON_TRACK, note="a"
        ),
        dict(fn=service.update_action, ref="R2.1", actor=OWNER_21, status=Status.AT_RISK, note="b"),
        dict(fn=service.mark_implemented, ref="R2.1", actor=OWNER_21, evidence="c"),
        dict(fn=service.return_action, ref="R2.1", actor=LEAD, reason="d"),
        dict(fn=service.set_due, ref="R2.1", actor=LEAD, due=date(2027, 1, 8)),
    ]
    seen: list[tuple] = []
    for op in ops:
        fn = op.pop("fn")
        run(sample, fn, source=CMD, now=NOW, **op)
        rows = [
            (r.id, r.field, r.before, r.after, r.note, r.actor, r.at)
            for r in history_of(sample, "R2.1")
        ]
        assert rows[: len(seen)] == seen
        assert len(rows) > len(seen)
        seen = rows


# -- several inspections -------------------------------------------------------------------


def _second_inspection(db) -> None:
    with db.write() as s:
        s.add(Inspection(code="PEEL", title="PEEL 2025", created_at=NOW))


def test_with_one_inspection_commands_imply_it(sample):
    with sample.read() as s:
        assert service.get_inspection(s).code == "NCPI"
        assert service.show_action(s, ref="R2.1", today=TODAY, inspection="ncpi").ref == "R2.1"


def test_with_several_inspections_an_unnamed_ref_asks_which(sample):
    _second_inspection(sample)
    message = refused(
        sample,
        service.update_action,
        UsageError,
        ref="R2.1",
        actor=OWNER_21,
        status=Status.ON_TRACK,
        note=None,
        source=CMD,
        now=NOW,
    )
    assert "NCPI" in message and "PEEL" in message and "NCPI:R2.1" in message
    run(
        sample,
        service.update_action,
        ref="ncpi:R2.1",
        actor=OWNER_21,
        status=Status.BLOCKED,
        note=None,
        source=CMD,
        now=NOW,
    )
    with sample.read() as s:
        assert service.summary(s, today=TODAY, rec="NCPI:R2").recs[0].actions[0].status == "blocked"
        assert service.summary(s, today=TODAY, inspection="PEEL").recs == []
        assert [u.after for u in service.history(s, ref="NCPI:2.1")][-1] == "blocked"
        with pytest.raises(UsageError, match="Several inspections"):
            service.summary(s, today=TODAY)
        with pytest.raises(NotFound, match="R1 to R10|no recommendations"):
            service.show_action(s, ref="PEEL:R2.1", today=TODAY)
    run(
        sample,
        service.update_action,
        ref="R2.1",
        actor=OWNER_21,
        status=Status.ON_TRACK,
        note=None,
        source=CMD,
        now=NOW,
        inspection="NCPI",
    )
    with sample.read() as s:
        assert (
            service.show_action(s, ref="R2.1", today=TODAY, inspection="NCPI").status == "on_track"
        )


def test_unknown_inspection_is_named(sample):
    with sample.read() as s, pytest.raises(NotFound, match="HMIC.*NCPI"):
        service.get_inspection(s, code="HMIC")


def test_no_inspection_yet_says_how_to_start(db):
    with db.read() as s, pytest.raises(NotFound, match="load-sample"):
        service.summary(s, today=TODAY)


# -- refusals: each leaves the database exactly as it was ------------------------------------

ADD = dict(fn=service.add_action, rec="R2", title="A title", owner=None, due=None)
UPD = dict(fn=service.update_action, ref="R2.1", status=Status.ON_TRACK, note=None)

REFUSALS = [
    # (id, exception, kwargs, words the message must contain)
    ("add-not-lead", Forbidden, dict(ADD, actor=OWNER_21), "Only a lead"),
    ("add-unknown-rec", NotFound, dict(ADD, actor=LEAD, rec="R42"), "R1 to R10"),
    ("add-bad-ref", UsageError, dict(ADD, actor=LEAD, rec="X2"), "R2.1"),
    ("add-action-ref", UsageError, dict(ADD, actor=LEAD, rec="R2.1"), "R2"),
    ("add-empty-title", UsageError, dict(ADD, actor=LEAD, title="   "), "needs a title"),
    ("add-long-title", UsageError, dict(ADD, actor=LEAD, title="x" * 301), "under 300"),
    (
        "assign-not-lead",
        Forbidden,
        dict(fn=service.assign_action, ref="R2.1", owner=NEWCOMER, actor=OWNER_21),
        "Only a lead",
    ),
    (
        "assign-unknown",
        NotFound,
        dict(fn=service.assign_action, ref="R2.9", owner=NEWCOMER, actor=LEAD),
        "R2.1, R2.2",
    ),
    (
        "assign-same",
        UsageError,
        dict(fn=service.assign_action, ref="R2.1", owner=OWNER_21, actor=LEAD),
        "already belongs",
    ),
    (
        "accept-not-offered",
        Forbidden,
        dict(fn=service.accept_handover, ref="R2.1", actor=NEWCOMER),
        "not being handed",
    ),
    (
        "decline-not-offered",
        Forbidden,
        dict(fn=service.decline_handover, ref="R2.1", actor=OWNER_21, reason="no"),
        "not waiting",
    ),
    (
        "due-not-lead",
        Forbidden,
        dict(fn=service.set_due, ref="R2.1", due=date(2027, 1, 1), actor=OWNER_21),
        "Only a lead",
    ),
    (
        "due-same",
        UsageError,
        dict(fn=service.set_due, ref="R2.1", due=date(2026, 11, 20), actor=LEAD),
        "already due",
    ),
    ("update-not-owner", Forbidden, dict(UPD, actor=OWNER_22), f"belongs to @{OWNER_21};"),
    ("update-unknown", NotFound, dict(UPD, ref="R7.1", actor=LEAD), "none yet"),
    ("update-rec-ref", UsageError, dict(UPD, ref="R2", actor=LEAD), "R2.1"),
    ("update-bad-ref", UsageError, dict(UPD, ref="R2-1", actor=LEAD), "R2.1"),
    ("update-nothing", UsageError, dict(UPD, status=None, actor=OWNER_21), "Nothing to update"),
    (
        "update-same-status",
        UsageError,
        dict(UPD, status=Status.AT_RISK, actor=OWNER_21),
        "already at risk",
    ),
    (
        "update-to-verified",
        UsageError,
        dict(UPD, status=Status.VERIFIED, actor=LEAD),
        "verify R2.1",
    ),
    (
        "done-no-evidence",
        UsageError,
        dict(fn=service.mark_implemented, ref="R2.1", evidence="  ", actor=OWNER_21),
        "evidence",
    ),
    (
        "done-not-owner",
        Forbidden,
        dict(fn=service.mark_implemented, ref="R2.1", evidence="x", actor=OTHER),
        "only its owner",
    ),
    (
        "verify-not-lead",
        Forbidden,
        dict(fn=service.verify_action, ref="R2.1", actor=OWNER_21),
        "Only a lead",
    ),
    (
        "verify-not-implemented",
        UsageError,
        dict(fn=service.verify_action, ref="R2.1", actor=LEAD),
        "done R2.1",
    ),
    (
        "return-not-lead",
        Forbidden,
        dict(fn=service.return_action, ref="R2.1", reason="x", actor=OWNER_21),
        "Only a lead",
    ),
    (
        "return-not-implemented",
        UsageError,
        dict(fn=service.return_action, ref="R2.1", reason="x", actor=LEAD),
        "not waiting",
    ),
    (
        "return-no-reason",
        UsageError,
        dict(fn=service.return_action, ref="R2.1", reason="", actor=LEAD),
        "why",
    ),
    (
        "signoff-not-lead",
        Forbidden,
        dict(fn=service.sign_off, rec="R2", actor=OWNER_21, today=TODAY),
        "Only a lead",
    ),
    (
        "signoff-twice",
        UsageError,
        dict(fn=service.sign_off, rec="R1", actor=LEAD, today=TODAY),
        "already signed off",
    ),
    (
        "reopen-not-lead",
        Forbidden,
        dict(fn=service.reopen, rec="R1", actor=OWNER_21),
        "Only a lead",
    ),
    ("reopen-open", UsageError, dict(fn=service.reopen, rec="R2", actor=LEAD), "not signed off"),
    (
        "away-past",
        UsageError,
        dict(fn=service.set_away, actor=OTHER, until=TODAY, today=TODAY),
        "after today",
    ),
    ("back-not-away", UsageError, dict(fn=service.set_back, actor=OTHER), "not marked away"),
    (
        "snooze-past",
        UsageError,
        dict(fn=service.snooze, actor=OTHER, until=TODAY, today=TODAY),
        "after today",
    ),
    (
        "panel-not-lead",
        Forbidden,
        dict(
            fn=service.add_panel,
            day=date(2027, 3, 5),
            at=None,
            paper_ref=None,
            actor=OTHER,
            tz=TZ,
            today=TODAY,
        ),
        "Only a lead",
    ),
    (
        "panel-past",
        UsageError,
        dict(
            fn=service.add_panel,
            day=date(2026, 11, 24),
            at=None,
            paper_ref=None,
            actor=LEAD,
            tz=TZ,
            today=TODAY,
        ),
        "past",
    ),
    (
        "panel-clash",
        UsageError,
        dict(
            fn=service.add_panel,
            day=date(2026, 12, 18),
            at=None,
            paper_ref=None,
            actor=LEAD,
            tz=TZ,
            today=TODAY,
        ),
        "already set",
    ),
    (
        "panel-remove-not-lead",
        Forbidden,
        dict(fn=service.remove_panel, day=date(2026, 12, 18), actor=OTHER),
        "Only a lead",
    ),
    (
        "panel-remove-none",
        NotFound,
        dict(fn=service.remove_panel, day=date(2026, 12, 11), actor=LEAD),
        "/ncpi panel",
    ),
]


@pytest.mark.parametrize(
    ("exc", "kwargs", "words"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_refusal_changes_nothing(sample, exc, kwargs, words):
    kwargs = dict(kwargs)
    fn = kwargs.pop("fn")
    kwargs.setdefault("source", CMD)
    kwargs.setdefault("now", NOW)
    message = refused(sample, fn, exc, **kwargs)
    assert words in message


def test_refusals_after_the_lifecycle_moves_on(sample):
    run(
        sample,
        service.mark_implemented,
        ref="R2.1",
        actor=OWNER_21,
        evidence="log",
        source=CMD,
        now=NOW,
    )
    assert "already marked implemented" in refused(
        sample,
        service.mark_implemented,
        UsageError,
        ref="R2.1",
        actor=OWNER_21,
        evidence="again",
        source=CMD,
        now=NOW,
    )
    run(sample, service.verify_action, ref="R2.1", actor=LEAD, source=CMD, now=NOW)
    assert "already verified" in refused(
        sample, service.verify_action, UsageError, ref="R2.1", actor=LEAD, source=CMD, now=NOW
    )
    assert "verified and closed" in refused(
        sample,
        service.update_action,
        UsageError,
        ref="R2.1",
        actor=OWNER_21,
        status=Status.AT_RISK,
        note="x",
        source=CMD,
        now=NOW,
    )
    assert "verified and closed" in refused(
        sample,
        service.assign_action,
        UsageError,
        ref="R2.1",
        owner=NEWCOMER,
        actor=LEAD,
        source=CMD,
        now=NOW,
    )
    assert "name one of its actions" in refused(
        sample,
        service.update_action,
        UsageError,
        ref="R2",
        actor=LEAD,
        status=None,
        note="x",
        source=CMD,
        now=NOW,
    )


def test_old_owner_cannot_update_after_handover(sample):
    run(sample, service.assign_action, ref="R2.1", owner=NEWCOMER, actor=LEAD, source=CMD, now=NOW)
    refused(
        sample,
        service.update_action,
        Forbidden,
        ref="R2.1",
        actor=OWNER_21,
        status=Status.ON_TRACK,
        note=None,
        source=CMD,
        now=NOW,
    )


def test_decline_needs_a_reason(sample):
    run(sample, service.assign_action, ref="R2.1", owner=NEWCOMER, actor=LEAD, source=CMD, now=NOW)
    assert "Say why" in refused(
        sample,
        service.decline_handover,
        UsageError,
        ref="R2.1",
        actor=NEWCOMER,
        reason=" ",
        source=CMD,
        now=NOW,
    )


def test_unknown_recommendation_on_empty_inspection(db):
    with db.write() as s:
        s.add(Inspection(code="PEEL", title="PEEL", created_at=NOW))
        s.add(Member(user_id=LEAD, display_name="lead", role="lead"))
    message = refused(
        db,
        service.add_action,
        NotFound,
        **{k: v for k, v in ADD.items() if k != "fn"},
        actor=LEAD,
        source=CMD,
        now=NOW,
    )
    assert "R2" in message and "R0" not in message


def test_rag_table():
    today = TODAY
    past, future = today - timedelta(days=1), today + timedelta(days=1)
    table = [
        (Status.VERIFIED, past, "complete"),
        (Status.VERIFIED, None, "complete"),
        (Status.IMPLEMENTED, past, "red"),
        (Status.ON_TRACK, past, "red"),
        (Status.NOT_STARTED, past, "red"),
        (Status.BLOCKED, future, "red"),
        (Status.BLOCKED, None, "red"),
        (Status.AT_RISK, future, "amber"),
        (Status.AT_RISK, today, "amber"),  # due today is not yet overdue
        (Status.ON_TRACK, future, "green"),
        (Status.NOT_STARTED, None, "green"),
        (Status.IMPLEMENTED, future, "green"),
    ]
    for status, due, expected in table:
        assert service.rag(status, due, today) == expected, (status, due)


def test_summary_headline_counts_every_open_action_once(sample):
    run(
        sample,
        service.update_action,
        ref="R4.1",
        actor=OTHER,
        status=Status.BLOCKED,
        note=None,
        source=CMD,
        now=NOW,
    )
    run(
        sample,
        service.mark_implemented,
        ref="R4.2",
        actor=OTHER,
        evidence="log",
        source=CMD,
        now=NOW,
    )
    with sample.read() as s:
        summ = service.summary(s, today=TODAY)
    assert summ.headline == {
        "overdue": 2,
        "blocked": 1,
        "at risk": 1,
        "awaiting verification": 1,
        "on track": 5,
    }
    assert sum(summ.headline.values()) == len(summ.open_actions)

    assert (
        "10 open actions: 2 overdue · 1 blocked · 1 at risk · 1 awaiting verification · 5 on track"
        in summary_text(summ)
    )


def test_more_evidence_while_waiting_for_verification(sample):
    run(
        sample,
        service.mark_implemented,
        ref="R9.2",
        actor=OTHER,
        evidence="first log",
        source=CMD,
        now=NOW,
    )
    run(
        sample,
        service.update_action,
        ref="R9.2",
        actor=OTHER,
        status=Status.IMPLEMENTED,
        note=None,
        evidence="second log",
        source=Source.MODAL,
        now=LATER,
    )
    view = show(sample, "R9.2")
    assert view.status == Status.IMPLEMENTED
    assert view.evidence == "first log\nsecond log"


def test_leads_from_settings(sample):
    with sample.write() as s:
        assert service.sync_leads(s, leads=[NEWCOMER, LEAD], now=NOW).added == [NEWCOMER]
    with sample.write() as s:
        assert service.sync_leads(s, leads=[NEWCOMER, LEAD], now=NOW).added == []
        assert service.is_lead(s, NEWCOMER)


def test_every_change_writes_stamped_history(sample):
    """Each operation, with its own actor, instant and source, leaves rows saying so."""
    steps = [
        (LEAD, service.add_action, dict(rec="R2", title="New", owner=NEWCOMER, due=None)),
        (LEAD, service.assign_action, dict(ref="R2.3", owner=OTHER)),
        (OTHER, service.accept_handover, dict(ref="R2.3")),
        (LEAD, service.assign_action, dict(ref="R2.3", owner=NEWCOMER)),
        (NEWCOMER, service.decline_handover, dict(ref="R2.3", reason="wrong team")),
        (LEAD, service.set_due, dict(ref="R2.3", due=date(2027, 2, 1))),
        (OTHER, service.update_action, dict(ref="R2.3", status=Status.ON_TRACK, note=None)),
        (OTHER, service.mark_implemented, dict(ref="R2.3", evidence="log")),
        (LEAD, service.return_action, dict(ref="R2.3", reason="more")),
        (OTHER, service.mark_implemented, dict(ref="R2.3", evidence="log 2")),
        (LEAD, service.verify_action, dict(ref="R2.3")),
        (LEAD, service.sign_off, dict(rec="R2", today=TODAY)),
        (LEAD, service.reopen, dict(rec="R2")),
        (OTHER, service.set_away, dict(until=date(2026, 12, 4), today=TODAY)),
        (OTHER, service.set_back, {}),
        (OTHER, service.snooze, dict(until=date(2026, 11, 26), today=TODAY)),
        (
            LEAD,
            service.add_panel,
            dict(day=date(2027, 3, 5), at=None, paper_ref=None, tz=TZ, today=TODAY),
        ),
        (LEAD, service.remove_panel, dict(day=date(2027, 3, 5))),
    ]
    sources = list(Source)
    for i, (actor, fn, kw) in enumerate(steps):
        before = refusal_snapshot(sample)["updates"]
        at = NOW + timedelta(minutes=i + 1)
        source = sources[i % len(sources)]
        run(sample, fn, actor=actor, source=source, now=at, **kw)
        with sample.read() as s:
            rows = s.exec(select(Update).order_by(Update.id)).all()[before:]
        assert rows, fn.__name__
        assert_rows_stamped(rows, actor=actor, source=str(source), at=at)


def test_away_with_no_inspection_yet_changes_nothing(db):
    message = refused(
        db,
        service.set_away,
        NotFound,
        actor=OTHER,
        until=date(2027, 1, 4),
        today=TODAY,
        now=NOW,
        source=CMD,
    )
    assert "No inspection is set up yet" in message
