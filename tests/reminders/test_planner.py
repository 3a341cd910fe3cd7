"""The reminder schedule, as a table of cases: who is owed what at an instant, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pytest

from models.planner import Kind, owed
from models.settings import Settings
from models.tables import Status
from tests.reminder_fixtures import A, M, Sent, Tracker, build, bulk_tracker, local, utc

D = date
DIGEST = "C0DIGEST"


@dataclass
class Case:
    name: str
    now: datetime
    tracker: Tracker
    expect: set[tuple[str, str, tuple[str, ...]]]  # (kind, recipient, action refs)
    settings: dict = field(default_factory=dict)


def due_soon(owner="U1"):
    return ("due", owner, ("R1.1",))


CASES = [
    Case(
        "due in 3 working days, at the reminder hour",
        local(2026, 11, 25, 9),
        Tracker([A("U1", D(2026, 11, 30))]),
        {due_soon()},
    ),
    Case(
        "nothing before the reminder hour",
        local(2026, 11, 25, 8, 59),
        Tracker([A("U1", D(2026, 11, 30))]),
        set(),
    ),
    Case(
        "reminder hour setting respected",
        local(2026, 11, 25, 9),
        Tracker([A("U1", D(2026, 11, 30))]),
        set(),
        {"reminder_hour": 11},
    ),
    Case(
        "nothing on a Saturday",
        local(2026, 11, 28, 10),
        Tracker([A("U1", D(2026, 12, 2))]),
        set(),
    ),
    Case(
        "Christmas: 3 working days before Tue 29 Dec is Tue 22 Dec",
        local(2026, 12, 22, 9),
        Tracker([A("U1", D(2026, 12, 29))]),
        {due_soon()},
    ),
    Case(
        "Christmas: nothing on Christmas Eve for an action due Tue 29 Dec (already told)",
        local(2026, 12, 24, 9),
        Tracker([A("U1", D(2026, 12, 29))], sent=[Sent("due", "U1", D(2026, 12, 22), "U1")]),
        set(),
    ),
    Case(
        "due on Christmas Day: the on-the-day reminder goes on Christmas Eve",
        local(2026, 12, 24, 9),
        Tracker([A("U1", D(2026, 12, 25))], sent=[Sent("due", "U1", D(2026, 12, 22), "U1")]),
        {due_soon()},
    ),
    Case(
        "due on Easter Monday: on-the-day reminder on the Thursday before Good Friday",
        local(2027, 3, 25, 9),
        Tracker([A("U1", D(2027, 3, 29))], sent=[Sent("due", "U1", D(2027, 3, 23), "U1")]),
        {due_soon()},
    ),
    Case(
        "Easter Monday itself: nothing",
        local(2027, 3, 29, 10),
        Tracker([A("U1", D(2027, 4, 1)), A("U2", D(2027, 3, 29))]),
        set(),
    ),
    Case(
        "after spring forward (Sun 28 Mar 2027): 09:00 BST is 08:00 UTC, not yet at 07:59",
        utc(2027, 3, 30, 7, 59),
        Tracker([A("U1", D(2027, 4, 2))]),
        set(),
    ),
    Case(
        "after spring forward: due 2 Apr reminded Tue 30 Mar at 08:00 UTC",
        utc(2027, 3, 30, 8, 0),
        Tracker([A("U1", D(2027, 4, 2))]),
        {due_soon()},
    ),
    Case(
        "spring-forward Sunday: nothing; the panel countdown moved back to Thu 25 Mar",
        utc(2027, 3, 28, 10),
        Tracker([A("U1", D(2027, 6, 30))], panels=[local(2027, 4, 7, 10)]),
        set(),
        {"panel_reminder_days": (10,)},
    ),
    Case(
        "panel countdown falling on Sun 28 Mar goes out Thu 25 Mar (Good Friday skipped)",
        local(2027, 3, 25, 9),
        Tracker([A("U1", D(2027, 6, 30)), A("U1", None)], panels=[local(2027, 4, 7, 10)]),
        {("panel", "U1", ("R1.1", "R1.2"))},
        {"panel_reminder_days": (10,)},
    ),
    Case(
        "before fall back (Fri 23 Oct 2026, BST): 08:00 UTC",
        utc(2026, 10, 23, 8, 0),
        Tracker([A("U1", D(2026, 10, 28))]),
        {due_soon()},
    ),
    Case(
        "fall-back Sunday 25 Oct 2026: nothing",
        utc(2026, 10, 25, 9, 30),
        Tracker([A("U1", D(2026, 10, 28))]),
        set(),
    ),
    Case(
        "after fall back (Mon 26 Oct 2026, GMT): not at 08:30 UTC",
        utc(2026, 10, 26, 8, 30),
        Tracker([A("U1", D(2026, 10, 29))]),
        set(),
    ),
    Case(
        "after fall back: 09:00 GMT is 09:00 UTC",
        utc(2026, 10, 26, 9, 0),
        Tracker([A("U1", D(2026, 10, 29))]),
        {due_soon()},
    ),
    Case(
        "panel on a Monday: countdown and readiness note on the Friday before",
        local(2026, 12, 4, 9),
        Tracker(
            [A("U1", D(2027, 6, 30)), A("U2", D(2027, 6, 30))],
            panels=[local(2026, 10, 5, 10), local(2026, 12, 7, 10)],
            sent=[Sent("digest", DIGEST, D(2026, 11, 30), DIGEST)],
        ),
        {
            ("panel", "U1", ("R1.1",)),
            ("panel", "U2", ("R1.2",)),
            ("readiness", DIGEST, ("R1.1", "R1.2")),
        },
        {"panel_reminder_days": (2,), "digest_channel": DIGEST},
    ),
    Case(
        "owner who updated since the last panel: no countdown, not named as stale",
        local(2026, 12, 4, 9),
        Tracker(
            [A("U1", D(2027, 6, 30)), A("U2", D(2027, 6, 30), updated=local(2026, 11, 20, 15))],
            panels=[local(2026, 10, 5, 10), local(2026, 12, 7, 10)],
            sent=[Sent("digest", DIGEST, D(2026, 11, 30), DIGEST)],
        ),
        {("panel", "U1", ("R1.1",)), ("readiness", DIGEST, ("R1.1",))},
        {"panel_reminder_days": (2,), "digest_channel": DIGEST},
    ),
    Case(
        "overdue: chased at 2 working days",
        local(2026, 11, 18, 9),
        Tracker([A("U1", D(2026, 11, 16))], sent=[Sent("due", "U1", D(2026, 11, 16), "U1")]),
        {due_soon()},
    ),
    Case(
        "overdue: not at 3 working days",
        local(2026, 11, 19, 9),
        Tracker([A("U1", D(2026, 11, 16))], sent=[Sent("due", "U1", D(2026, 11, 18), "U1")]),
        set(),
    ),
    Case(
        "overdue 5 working days: escalated to the manager, once",
        local(2026, 11, 23, 9),
        Tracker(
            [A("U1", D(2026, 11, 16))],
            members=[M("U1", manager="U0BOSS")],
            sent=[Sent("due", "U1", D(2026, 11, 20), "U1")],
        ),
        {("escalation", "U0BOSS", ("R1.1",))},
    ),
    Case(
        "escalation with no manager goes to the digest channel",
        local(2026, 11, 24, 9),
        Tracker(
            [A("U1", D(2026, 11, 17))],
            sent=[
                Sent("due", "U1", D(2026, 11, 23), "U1"),
                Sent("digest", DIGEST, D(2026, 11, 23), DIGEST),
            ],
        ),
        {("escalation", DIGEST, ("R1.1",))},
        {"digest_channel": DIGEST},
    ),
    Case(
        "manager away: escalation goes to the digest channel",
        local(2026, 11, 24, 9),
        Tracker(
            [A("U1", D(2026, 11, 17))],
            members=[M("U1", manager="U0BOSS"), M("U0BOSS", away_until=D(2026, 12, 1))],
            sent=[
                Sent("due", "U1", D(2026, 11, 23), "U1"),
                Sent("digest", DIGEST, D(2026, 11, 23), DIGEST),
            ],
        ),
        {("escalation", DIGEST, ("R1.1",))},
        {"digest_channel": DIGEST},
    ),
    Case(
        "away owner gets nothing; the Monday digest lists their items",
        local(2026, 11, 30, 9),
        Tracker(
            [A("U1", D(2026, 11, 26)), A("U2", D(2027, 6, 1), status=Status.AT_RISK)],
            members=[M("U1", away_until=D(2026, 12, 2))],
        ),
        {("digest", DIGEST, ("R1.1", "R1.2", "R1.1"))},
        {"digest_channel": DIGEST},
    ),
    Case(
        "away until today: back, chased again",
        local(2026, 11, 30, 9),
        Tracker([A("U1", D(2026, 11, 26))], members=[M("U1", away_until=D(2026, 11, 30))]),
        {due_soon()},
    ),
    Case(
        "snoozed until tomorrow: nothing today",
        local(2026, 12, 1, 9),
        Tracker(
            [A("U1", D(2026, 11, 27))],
            members=[M("U1", snoozed_until=D(2026, 12, 2))],
            sent=[Sent("due", "U1", D(2026, 11, 30), "U1")],
        ),
        set(),
    ),
    Case(
        "snooze ends today: reminded of every open action",
        local(2026, 12, 2, 9),
        Tracker(
            [A("U1", D(2027, 6, 1)), A("U1", D(2027, 5, 1)), A("U2", D(2027, 5, 1))],
            members=[M("U1", snoozed_until=D(2026, 12, 2))],
        ),
        {("due", "U1", ("R1.2", "R1.1"))},
    ),
    Case(
        "implemented and verified actions are never chased",
        local(2026, 11, 23, 9),
        Tracker(
            [
                A("U1", D(2026, 11, 16), status=Status.IMPLEMENTED),
                A("U1", D(2026, 11, 16), status=Status.VERIFIED),
                A("U1", D(2026, 11, 26), status=Status.IMPLEMENTED),
            ],
            members=[M("U1", manager="U0BOSS")],
        ),
        set(),
    ),
    Case(
        "weekly digest moves to Tuesday after Easter Monday (08:00 UTC in BST)",
        utc(2027, 3, 30, 8, 0),
        Tracker([A("U1", D(2027, 3, 23))], sent=[Sent("due", "U1", D(2027, 3, 25), "U1")]),
        {("digest", DIGEST, ("R1.1",))},
        {"digest_channel": DIGEST},
    ),
    Case(
        "no digest channel: the weekly digest goes to each lead by DM",
        local(2026, 11, 30, 9),
        Tracker(
            [A("U1", D(2027, 3, 24), status=Status.BLOCKED)],
            members=[M("U0LEAD", role="lead")],
        ),
        {("digest", "U0LEAD", ("R1.1",))},
    ),
    Case(
        "after downtime: missed days collapse into one message today, no stale keys",
        local(2026, 11, 26, 9),
        Tracker([A("U1", D(2026, 11, 16))], members=[M("U1", manager="U0BOSS")]),
        {("due", "U1", ("R1.1",)), ("escalation", "U0BOSS", ("R1.1",))},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_schedule(db, case: Case) -> None:
    with db.write() as session:
        build(session, case.tracker)
    with db.read() as session:
        got = owed(session, now=case.now, settings=Settings(**case.settings))
    assert {(o.kind, o.recipient, o.action_refs) for o in got} == case.expect
    today = case.now.astimezone(Settings().tz).date()
    for o in got:
        assert o.reason
        assert o.local_day == today  # catch-ups are keyed on today, never on a stale day


def test_away_owner_items_are_marked_in_the_digest(db) -> None:
    with db.write() as session:
        build(
            session,
            Tracker([A("U1", D(2026, 11, 26))], members=[M("U1", away_until=D(2026, 12, 2))]),
        )
    with db.read() as session:
        (digest,) = owed(
            session, now=local(2026, 11, 30, 9), settings=Settings(digest_channel=DIGEST)
        )
    assert [i.group for i in digest.items] == ["overdue", "owner away"]
    assert "away until Wed 2 Dec" in digest.items[1].note


def test_a_missed_escalation_goes_once_keyed_on_the_day_it_goes(db) -> None:
    t = Tracker([A("U1", D(2026, 11, 16))], members=[M("U1", manager="U0BOSS")])
    with db.write() as session:
        build(session, t)
    with db.read() as session:
        got = owed(session, now=local(2026, 11, 26, 9), settings=Settings())
    (esc,) = [o for o in got if o.kind == Kind.ESCALATION]
    assert esc.key == "escalation|A1|2026-11-26" and esc.caught_up == (D(2026, 11, 23),)
    t2 = Tracker(sent=[Sent("escalation", "A1", D(2026, 11, 26), "U0BOSS")])
    with db.write() as session:
        from models.tables import Reminder

        s = t2.sent[0]
        session.add(
            Reminder(
                kind=s.kind,
                target=s.target,
                local_day=s.local_day,
                recipient=s.recipient,
                state="sent",
                claimed_at=local(2026, 11, 26, 9),
            )
        )
    with db.read() as session:
        later = owed(session, now=local(2026, 11, 27, 9), settings=Settings())
    assert [o for o in later if o.kind == Kind.ESCALATION] == []


def test_planner_at_scale_plans_every_kind(db) -> None:
    """A large tracker still plans panel DMs, escalations and the digest. How fast is
    measured by `benchmarks/bench_planner.py` (10k and 100k actions), never asserted here."""
    today = D(2026, 11, 25)
    with db.write() as session:
        bulk_tracker(session, actions=5_000, owners=200, today=today)
    with db.read() as session:
        got = owed(session, now=local(2026, 11, 25, 9, 5), settings=Settings(digest_channel=DIGEST))
    kinds = {o.kind for o in got}
    assert {"panel", "escalation", "digest"} <= kinds  # due DMs fold into panel DMs
    assert len({o.key for o in got}) == len(got)  # one claim key per reminder
