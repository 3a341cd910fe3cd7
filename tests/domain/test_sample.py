"""The sample tracker: the seed paper AP23/07's inspection, ready for a demo."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import func, select
from sqlmodel import SQLModel

from models import service
from models.calendar import is_working_day, local_to_utc
from models.sample import load_sample, next_panel_day
from models.tables import Member, Role, SubPoint
from tests.conftest import NOW, TODAY, TZ


def row_counts(db) -> dict[str, int]:
    with db.read() as s:
        return {
            t.name: s.execute(select(func.count()).select_from(t)).scalar_one()
            for t in SQLModel.metadata.sorted_tables
        }


def test_loading_twice_changes_nothing(sample):
    before = row_counts(sample)
    with sample.write() as s:
        assert (
            load_sample(s, now=NOW + timedelta(days=3), today=TODAY + timedelta(days=3), tz=TZ)
            is False
        )
    assert row_counts(sample) == before
    assert before["recommendation"] == 10 and before["action"] == 10


def test_recommendations_and_their_status(sample):
    with sample.read() as s:
        summ = service.summary(s, today=TODAY)
    assert summ.inspection_code == "NCPI"
    assert [r.number for r in summ.outstanding] == [2, 4, 6, 9]
    assert [r.number for r in summ.signed_off] == [1, 3, 5, 7, 8, 10]
    r2 = summ.recs[1]
    assert r2.title == "Missing children" and r2.timescale == "Immediately"
    assert "responding to incidents of missing children" in r2.text
    assert all(r.signed_off_on for r in summ.signed_off)


def test_sub_points_present(sample):
    with sample.read() as s:
        summ = service.summary(s, today=TODAY)
        assert s.exec(select(func.count()).select_from(SubPoint)).scalar_one() == 13
    subs = {r.number: r.sub_points for r in summ.recs}
    assert subs[2][1] == "Using the Philomena protocol"
    assert len(subs[3]) == 4 and len(subs[4]) == 4
    assert subs[1] == []


def test_actions_under_2_4_5_6_9_with_due_dates_spread_for_a_demo(sample):
    with sample.read() as s:
        summ = service.summary(s, today=TODAY)
    by_rec = {r.number: [a.ref for a in r.actions] for r in summ.recs if r.actions}
    assert by_rec == {
        2: ["R2.1", "R2.2"],
        4: ["R4.1", "R4.2", "R4.3"],
        5: ["R5.1", "R5.2"],
        6: ["R6.1"],
        9: ["R9.1", "R9.2"],
    }
    actions = summ.open_actions
    assert all(a.owner and a.due for a in actions)
    overdue = [a for a in actions if a.due < TODAY]
    due_soon = [a for a in actions if TODAY <= a.due <= TODAY + timedelta(days=14)]
    later = [a for a in actions if a.due > TODAY + timedelta(days=14)]
    assert overdue and due_soon and later
    assert {a.status for a in actions} >= {"at_risk", "on_track", "blocked", "not_started"}


def test_panel_meetings_past_and_next(sample):
    with sample.read() as s:
        panels = service.list_panels(s)
        summ = service.summary(s, today=TODAY)
    assert panels[0].day == date(2024, 1, 19) and panels[0].paper_ref == "AP23/07"
    assert panels[1].day > TODAY
    assert panels[1].starts_at == local_to_utc(panels[1].day, time(10), TZ)
    assert summ.next_panel.day == panels[1].day
    assert 14 < summ.next_panel.days_away < 35


def test_next_panel_day_is_a_working_friday_weeks_ahead():
    for offset in range(0, 400, 7):
        today = date(2026, 1, 1) + timedelta(days=offset)
        day = next_panel_day(today)
        assert is_working_day(day)
        assert 14 <= (day - today).days <= 28


def test_placeholder_people_include_leads_with_managers(sample):
    with sample.read() as s:
        people = s.exec(select(Member)).scalars().all()
    leads = [m for m in people if m.role == Role.LEAD]
    assert len(leads) == 2
    assert all(m.manager for m in people if m.role == Role.MEMBER)
    assert all("(sample" in m.display_name for m in people)
