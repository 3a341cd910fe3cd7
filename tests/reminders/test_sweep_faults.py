"""The sweep under faults, against the Slack stand-in, with the clock injected: an outage,
answers that never arrive, a sweep that died between claim and post, refusals that are
final and failures that pass. The promise each time: nothing lost, nothing twice, and the
row says what happened."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from jobs.sweep import EVENT_TYPE, reminder_client
from models.planner import owed
from models.tables import Reminder
from tests.reminder_fixtures import A, Tracker, build, keys_at, local, run_sweep, sweep_settings

D = date
DIGEST = "C0DIGEST"
WED = (2026, 11, 25)  # owners of actions due Mon 30 Nov are owed a due-date DM today
OWNERS = ["U1", "U2", "U3"]


def _every(start: datetime, minutes: int, *, step: int = 1) -> Iterator[datetime]:
    """Sweep instants from `start`, every `step` minutes, for `minutes` minutes."""
    for m in range(0, minutes, step):
        yield start + timedelta(minutes=m)


def _tracker(db) -> None:
    with db.write() as session:
        build(session, Tracker([A(u, D(2026, 11, 30)) for u in OWNERS]))


def _rows(db) -> dict[str, Reminder]:
    with db.read() as session:
        return {r.recipient: r for r in session.exec(select(Reminder)).all()}


@pytest.mark.parametrize("html", [False, True], ids=["json-503", "html-503"])
def test_a_slack_outage_of_five_sweeps_then_recovery_delivers_every_reminder_once(
    db, slack_standin, html
) -> None:
    _tracker(db)
    slack_standin.go_down(503, html=html)
    start = local(*WED, 9, 1)
    during = [run_sweep(db, slack_standin, t, digest_channel=DIGEST) for t in _every(start, 5)]
    # each sweep says what it did: nothing sent, every reminder still owed, none given up
    assert all(r.count("sent") == 0 and r.count("failed") == 0 for r in during)
    assert {o.state for r in during for o in r.outcomes} <= {"retrying", "waiting"}
    assert {r.state for r in _rows(db).values()} == {"retry"}
    assert slack_standin.messages(slack_standin.dm_channel("U1")) == []

    slack_standin.come_back()
    later = [*_every(start + timedelta(minutes=5), 40, step=3), local(*WED, 12), local(*WED, 17)]
    after = [run_sweep(db, slack_standin, t, digest_channel=DIGEST) for t in later]
    keys = keys_at(slack_standin)
    planned = {o.owed.key for o in after[-1].outcomes}
    assert len(planned) == len(OWNERS) + 1  # the three owners and the lead digest
    assert sorted(keys) == sorted(planned), "each reminder exactly once"
    rows = _rows(db)
    assert {r.state for r in rows.values()} == {"sent"} and all(r.ts for r in rows.values())
    assert sum(r.count("sent") for r in after) == len(planned)
    # backed off while Slack was down: tries spaced out, not one a minute
    assert all(r.attempts <= 4 for r in rows.values())


def test_an_answer_lost_after_the_post_is_found_in_slack_not_posted_twice(
    db, slack_standin
) -> None:
    _tracker(db)
    # Slack stores U1's DM but the answer never reaches us (the connection drops)
    slack_standin.lose_answer_next("chat.postMessage")
    start = local(*WED, 9, 1)
    first = run_sweep(db, slack_standin, start)
    assert sorted(o.state for o in first.outcomes) == ["retrying", "sent", "sent"]
    for t in _every(start + timedelta(minutes=1), 30):
        run_sweep(db, slack_standin, t)
    keys = keys_at(slack_standin)
    assert len(keys) == len(set(keys)) == len(OWNERS)
    assert {r.state for r in _rows(db).values()} == {"sent"}
    assert len(slack_standin.calls_to("chat.postMessage")) == len(OWNERS)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        ("internal_error", 200),
        ("fatal_error", 200),
        ("service_unavailable", 200),
        ("ratelimited", 200),
        ("request_timeout", 200),
        ("internal_error", 500),
        ("bad_gateway", 502),
        ("gateway_timeout", 504),
    ],
)
def test_a_failure_that_passes_is_retried_until_delivered(db, slack_standin, error, status) -> None:
    with db.write() as session:
        build(session, Tracker([A("U1", D(2026, 11, 30))]))
    for _ in range(7):  # more tries than the sweep used to allow before giving up for good
        slack_standin.fail_next("chat.postMessage", error, status=status)
    results = [run_sweep(db, slack_standin, t) for t in _every(local(*WED, 9, 1), 3 * 60, step=10)]
    assert [o.state for r in results for o in r.outcomes if o.state != "waiting"] == [
        *["retrying"] * 7,
        "sent",
        *["already"] * (len(results) - 8 - sum(r.count("waiting") for r in results)),
    ]
    assert len(keys_at(slack_standin)) == 1
    (u1,) = _rows(db).values()
    assert (u1.state, u1.attempts, u1.error) == ("sent", 8, None)


@pytest.mark.parametrize(
    ("error", "method"),
    [
        ("user_not_found", "conversations.open"),
        ("account_inactive", "chat.postMessage"),
        ("cannot_dm_bot", "chat.postMessage"),
        ("not_in_channel", "chat.postMessage"),
        ("is_archived", "chat.postMessage"),
        ("channel_not_found", "chat.postMessage"),
    ],
)
def test_a_permanent_refusal_is_final_and_not_retried(db, slack_standin, error, method) -> None:
    _tracker(db)
    slack_standin.fail_next(method, error)  # the first owner served: U1
    start = local(*WED, 9, 1)
    for t in [*_every(start, 2 * 60, step=10), local(*WED, 17)]:
        last = run_sweep(db, slack_standin, t)
    states = {o.owed.recipient: o.state for o in last.outcomes}
    assert states == {"U1": "failed", "U2": "already", "U3": "already"}
    u1 = _rows(db)["U1"]
    assert (u1.state, u1.attempts, u1.error, u1.ts) == ("failed", 1, error, None)
    tries = [c for c in slack_standin.calls_to(method) if c.error == error]
    assert len(tries) == 1
    assert len(slack_standin.calls_to("chat.postMessage")) == len(OWNERS) - (
        method == "conversations.open"
    )
    assert sorted(keys_at(slack_standin)) == sorted(
        o.owed.key for o in last.outcomes if o.owed.recipient != "U1"
    )


def _dead_claim(db, slack, now: datetime, recipient: str, *, posted: bool) -> str:
    """What a sweep killed between claim and recording leaves: a claim with no ts, and
    (if it got that far) the DM in Slack. Returns the reminder's key."""
    settings = sweep_settings(slack)
    with db.read() as session:
        (o,) = [o for o in owed(session, now=now, settings=settings) if o.recipient == recipient]
    if posted:
        reminder_client(settings).chat_postMessage(
            channel=recipient,
            text="the DM",
            metadata={"event_type": EVENT_TYPE, "event_payload": {"key": o.key}},
        )
    with db.write() as session:
        session.add(
            Reminder(
                kind=o.kind,
                target=o.target,
                local_day=o.local_day,
                recipient=o.recipient,
                state="claimed",
                attempts=1,
                claimed_at=now,
            )
        )
    return o.key


def test_a_sweep_killed_between_claim_and_post_delivers_on_the_next_sweep_once(
    db, slack_standin
) -> None:
    _tracker(db)
    killed = local(*WED, 9, 1)
    key = _dead_claim(db, slack_standin, killed, "U1", posted=False)
    nxt = run_sweep(db, slack_standin, killed + timedelta(minutes=1))
    assert {o.owed.recipient: o.state for o in nxt.outcomes} == {
        "U1": "sent",
        "U2": "sent",
        "U3": "sent",
    }
    for t in _every(killed + timedelta(minutes=2), 60, step=5):
        run_sweep(db, slack_standin, t)
    keys = keys_at(slack_standin)
    assert keys.count(key) == 1 and len(keys) == len(set(keys)) == len(OWNERS)
    u1 = _rows(db)["U1"]
    assert (u1.state, u1.attempts) == ("sent", 2)


def test_a_claim_left_overnight_that_slack_has_is_recorded_as_sent(db, slack_standin) -> None:
    _tracker(db)
    killed = local(*WED, 9, 1)  # posted, then killed before the ts was recorded; down all day
    _dead_claim(db, slack_standin, killed, "U1", posted=True)
    thursday = run_sweep(db, slack_standin, local(2026, 11, 26, 9, 1))
    assert thursday.earlier == {"recovered": 1}
    u1 = _rows(db)["U1"]
    assert u1.state == "sent" and u1.ts == slack_standin.messages("D1")[0]["ts"]
    assert len(slack_standin.messages("D1")) == 1  # U1 is sent nothing again


def test_a_claim_left_overnight_that_never_went_out_is_marked_missed(db, slack_standin) -> None:
    _tracker(db)
    _dead_claim(db, slack_standin, local(*WED, 9, 1), "U1", posted=False)
    thursday = run_sweep(db, slack_standin, local(2026, 11, 26, 9, 1))
    assert thursday.earlier == {"missed": 1}
    with db.read() as session:
        wednesday = session.exec(
            select(Reminder).where(Reminder.recipient == "U1", Reminder.local_day == date(*WED))
        ).one()
    assert wednesday.state == "missed"
    # and what never went out on Wednesday goes out in Thursday's catch-up, once
    assert len(slack_standin.messages("D1")) == 1


def test_reminders_slack_never_took_fold_into_the_next_days_catch_up(db, slack_standin) -> None:
    _tracker(db)
    slack_standin.go_down(503)  # from the reminder hour to midnight
    sweeps = list(_every(local(*WED, 9, 1), 15 * 60, step=20))
    for t in sweeps:
        run_sweep(db, slack_standin, t)
    wednesday = _rows(db)
    assert {r.state for r in wednesday.values()} == {"retry"}
    # tried through the evening, backing off: fewer tries than sweeps
    assert all(r.claimed_at >= local(*WED, 23) for r in wednesday.values())
    assert all(10 < r.attempts < len(sweeps) * 2 / 3 for r in wednesday.values())
    slack_standin.come_back()
    thursday = run_sweep(db, slack_standin, local(2026, 11, 26, 9, 1))
    assert thursday.earlier == {"missed": len(OWNERS)}
    assert sorted(o.owed.key for o in thursday.outcomes if o.state == "sent") == [
        f"due|{u}|2026-11-26" for u in OWNERS
    ]
    dm = slack_standin.messages("D1")
    assert len(dm) == 1 and "R1.1" in str(dm[0]["blocks"])
