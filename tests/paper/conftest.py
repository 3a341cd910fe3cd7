"""The paper tests' small tracker (the `tracker` fixture), changed on known days (the clock
is injected at every step):

    1 Mar 2027  R1.1 added (DI Jane Doe, due 30 Apr), R2.1 added (owner with no name, due 15 Mar);
                panels set for Fri 19 Mar and Fri 21 May
    10 Mar      R1.1 at risk ("training places delayed")
    15 Mar      R2 signed off
    19 Mar      the panel sits, 10:00
    2 Apr       R2 reopened; R1.1 back on track; R1.2 added
    20 Apr      R1.1 re-dated to 31 May
    1 May       today: the papers are drafted
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from models.paper import build_paper
from models.service import add_action, add_panel, reopen, set_due, sign_off, update_action
from models.tables import Inspection, Member, Recommendation, RecStatus, Role, Source, Status
from tests.conftest import TZ

LEAD = "U0ASOFLEAD"
JANE = "U0ASOFJANE"
NAMELESS = "U0ASOFNONAME"
CMD = Source.COMMAND
PANEL = date(2027, 3, 19)
TODAY = date(2027, 5, 1)


def at(day: date, hour: int = 9) -> datetime:
    """`hour` o'clock UTC on `day`."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


def setup_tracker(db, recs: int = 2) -> None:
    """The inspection (NCPI), its lead and DI Jane Doe, and `recs` outstanding recommendations."""
    with db.write() as s:
        insp = Inspection(
            code="NCPI",
            title="National Child Protection Inspection (re-inspection)",
            force="Suffolk Constabulary",
            reinspected=date(2023, 7, 1),
            created_at=at(date(2027, 2, 1)),
        )
        s.add(insp)
        s.add(Member(user_id=LEAD, display_name="Head of Safeguarding", role=Role.LEAD))
        s.add(Member(user_id=JANE, display_name="DI Jane Doe"))
        s.flush()
        for n in range(1, recs + 1):
            s.add(
                Recommendation(
                    inspection_id=insp.id,
                    number=n,
                    title=f"Recommendation {n} title",
                    text=f"That the force improves area {n}.",
                    status=RecStatus.OUTSTANDING,
                )
            )


@pytest.fixture
def tracker(db):
    """The small tracker as it stands on 1 May 2027, its history made on the days above."""
    setup_tracker(db)
    d1 = at(date(2027, 3, 1))
    with db.write() as s:
        add_action(
            s,
            rec="R1",
            title="Train the night shift",
            owner=JANE,
            due=date(2027, 4, 30),
            actor=LEAD,
            source=CMD,
            now=d1,
        )
        add_action(
            s,
            rec="R2",
            title="Philomena protocol in every home",
            owner=NAMELESS,
            due=date(2027, 3, 15),
            actor=LEAD,
            source=CMD,
            now=d1,
        )
        for day in (PANEL, date(2027, 5, 21)):
            add_panel(
                s,
                day=day,
                at=time(10),
                paper_ref=f"AP27/{day.month:02d}",
                actor=LEAD,
                now=d1,
                tz=TZ,
                source=CMD,
                today=d1.date(),
            )
    with db.write() as s:
        update_action(
            s,
            ref="R1.1",
            status=Status.AT_RISK,
            note="training places delayed",
            actor=JANE,
            source=CMD,
            now=at(date(2027, 3, 10)),
        )
    with db.write() as s:
        sign_off(
            s, rec="R2", actor=LEAD, source=CMD, now=at(date(2027, 3, 15)), today=date(2027, 3, 15)
        )
    d2 = at(date(2027, 4, 2))
    with db.write() as s:
        reopen(s, rec="R2", actor=LEAD, source=CMD, now=d2, note="homes not yet covered")
        update_action(
            s,
            ref="R1.1",
            status=Status.ON_TRACK,
            note="places found",
            actor=JANE,
            source=CMD,
            now=d2,
        )
        add_action(
            s,
            rec="R1",
            title="Audit thirty cases",
            owner=JANE,
            due=date(2027, 6, 30),
            actor=LEAD,
            source=CMD,
            now=d2,
        )
    with db.write() as s:
        set_due(
            s,
            ref="R1.1",
            due=date(2027, 5, 31),
            actor=LEAD,
            source=CMD,
            now=at(date(2027, 4, 20)),
            reason="trainer off sick",
        )
    return db


def tracker_paper(db, panel=None, today=TODAY):
    """The paper drafted on `today`: for `panel` (a past one: as the tracker stood), else the next."""
    with db.read() as s:
        return build_paper(s, today=today, now=at(today), panel=panel)
