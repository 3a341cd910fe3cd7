"""`summary(actions=False)` (counts aggregated in SQL, for `/ncpi summary` on big trackers)
says exactly what the summary built from every action says."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.views.summary import summary_blocks
from conversation.plain import summary_text
from models import service
from tests.conftest import NOW, TZ
from tests.tracker_seed import build_tracker

TODAY = NOW.astimezone(TZ).date()


def _same(db, today) -> None:
    with db.read() as s:
        full = service.summary(s, today=today)
        counted = service.summary(s, today=today, actions=False)
    assert counted.open_actions == []  # nothing loaded action by action
    assert counted.headline == full.headline
    assert counted.open_count == full.open_count == len(full.open_actions)
    assert counted.overdue_count == full.overdue_count
    for rag in service.Rag.ORDER:
        assert counted.count(rag) == full.count(rag)
    for c, f in zip(counted.recs, full.recs, strict=True):
        assert (c.number, c.rag_counts, c.open_count, c.overdue_count) == (
            f.number,
            f.rag_counts,
            f.open_count,
            f.overdue_count,
        )
        assert c.worst_overdue == f.worst_overdue
    assert summary_text(counted) == summary_text(full)
    for lead in (True, False):
        assert [b.to_dict() for b in summary_blocks(counted, viewer_is_lead=lead)] == [
            b.to_dict() for b in summary_blocks(full, viewer_is_lead=lead)
        ]


@pytest.mark.parametrize("days", [0, 3, 20, 90])  # 3: Saturday 28 November
def test_counts_match_the_full_summary_on_the_sample(sample, days):
    _same(sample, TODAY + timedelta(days=days))


def test_counts_match_on_a_generated_tracker_with_every_status_and_ties(db):
    build_tracker(db, actions=300, today=TODAY, tz=TZ, owners=7, updates_per_action=1)
    _same(db, TODAY)
    _same(db, TODAY + timedelta(days=45))


def test_the_longest_overdue_is_the_earliest_due_when_working_days_tie(db):
    """On Monday 30 November, actions due Friday 27 and Saturday 28 are both 1 working day
    late: the summary names the one due first, whichever way it is counted."""
    from datetime import date

    from tests.reminder_fixtures import A, Tracker, build

    with db.write() as session:
        build(
            session,
            Tracker([A("U0OWNER01", date(2026, 11, 28)), A("U0OWNER01", date(2026, 11, 27))]),
        )
    monday = date(2026, 11, 30)
    _same(db, monday)
    with db.read() as s:
        worst = service.summary(s, today=monday).recs[0].worst_overdue
    assert (worst.ref, worst.overdue_working_days) == ("R1.2", 1)
