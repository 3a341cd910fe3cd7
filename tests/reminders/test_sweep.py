"""The sweep against the Slack stand-in: once, after downtime, after a crash, under 429s."""

from __future__ import annotations

import types
from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.ids import ActionId
from bot.views.reminders import reminder_message
from jobs import sweep as sweep_mod
from jobs.delivery import Courier
from jobs.sweep import EVENT_TYPE, Pacer, reminder_client, sweep
from models.planner import owed
from models.tables import BotMessage, Reminder
from tests.reminder_fixtures import A, M, Tracker, build, keys_at, local, run_sweep, sweep_settings

D = date
DIGEST = "C0DIGEST"


def test_two_sweeps_at_the_same_instant_send_once(db, slack_standin) -> None:
    with db.write() as session:
        build(
            session,
            Tracker(
                [A("U1", D(2026, 11, 30)), A("U1", D(2026, 11, 30)), A("U2", D(2026, 11, 16))],
                members=[M("U2", manager="U0BOSS")],
            ),
        )
    now = local(2026, 11, 25, 9, 1)
    first = run_sweep(db, slack_standin, now, digest_channel=DIGEST)
    second = run_sweep(db, slack_standin, now, digest_channel=DIGEST)
    # U1 and U2 (due), U2's escalation to their manager, the weekly digest (caught up)
    assert first.count("sent") == first.planned == 4
    assert second.count("already") == 4 and second.count("sent") == 0
    keys = keys_at(slack_standin)
    assert sorted(keys) == sorted(o.owed.key for o in first.outcomes)
    with db.read() as session:
        rows = session.exec(select(Reminder)).all()
        assert {r.state for r in rows} == {"sent"} and all(r.ts and r.channel for r in rows)
        dms = session.exec(select(BotMessage)).all()
    assert {(m.recipient, len(m.action_ids.split(","))) for m in dms} == {("U1", 2), ("U2", 1)}
    # the owner's DM: a row per action with one-click buttons, snooze, and the thread hint
    (dm,) = [
        c
        for c in slack_standin.calls_to("chat.postMessage")
        if c.response.get("channel") == slack_standin.dm_channel("U1")
    ]
    ids = [
        e["action_id"] for b in dm.args["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert ids.count(ActionId.ON_TRACK) == 2 and ActionId.SNOOZE in ids
    assert "Reply in this thread" in str(dm.args["blocks"])
    # the shared action rows: a click finds and updates its row in place
    assert "row|dm|NCPI:R1.1" in [b.get("block_id") for b in dm.args["blocks"]]
    assert dm.args["text"] and not slack_standin.warnings()


def test_sweep_after_downtime_sends_today_once_and_nothing_stale(db, slack_standin) -> None:
    with db.write() as session:
        build(
            session,
            Tracker([A("U1", D(2026, 11, 16))], members=[M("U1", manager="U0BOSS")]),
        )
    # down from Mon 16 to Thu 26 Nov: the due, overdue and escalation days were all missed
    result = run_sweep(db, slack_standin, local(2026, 11, 26, 11))
    assert sorted(o.owed.key for o in result.outcomes if o.state == "sent") == [
        "due|U1|2026-11-26",
        "escalation|A1|2026-11-26",
    ]
    assert run_sweep(db, slack_standin, local(2026, 11, 26, 15)).count("sent") == 0
    # Friday is 9 working days overdue: not a chase day, and the missed days are covered
    assert run_sweep(db, slack_standin, local(2026, 11, 27, 9)).planned == 0
    # Monday, 10 working days: the regular 2-day cadence resumes
    monday = run_sweep(db, slack_standin, local(2026, 11, 30, 9))
    assert [o.owed.key for o in monday.outcomes if o.state == "sent"] == ["due|U1|2026-11-30"]
    assert len(keys_at(slack_standin)) == 3


def test_half_done_claims_are_resolved_from_slack_history(db, slack_standin) -> None:
    with db.write() as session:
        build(session, Tracker([A("U1", D(2026, 11, 30)), A("U2", D(2026, 11, 30))]))
    now = local(2026, 11, 25, 9, 1)
    settings = sweep_settings(slack_standin)
    with db.read() as session:
        plan = {o.recipient: o for o in owed(session, now=now, settings=settings)}
    # A sweep died twice: after posting U1's DM (before recording its ts), and after
    # claiming U2's without posting.
    client = reminder_client(settings)
    posted = client.chat_postMessage(
        channel="U1",
        text="earlier",
        metadata={"event_type": EVENT_TYPE, "event_payload": {"key": plan["U1"].key}},
    )
    with db.write() as session:
        for o in plan.values():
            session.add(
                Reminder(
                    kind=o.kind,
                    target=o.target,
                    local_day=o.local_day,
                    recipient=o.recipient,
                    state="claimed",
                    claimed_at=now,
                )
            )
    # within the claims' short lease their sender may still be at work: left alone
    same_instant = sweep(db=db, client=client, settings=settings, now=now, render=reminder_message)
    assert {o.state for o in same_instant.outcomes} == {"taken"}
    # the next sweep, a minute later: the sender is gone
    result = sweep(
        db=db,
        client=client,
        settings=settings,
        now=now + timedelta(minutes=1),
        render=reminder_message,
    )
    states = {o.owed.recipient: o.state for o in result.outcomes}
    assert states == {"U1": "recovered", "U2": "sent"}
    assert sorted(keys_at(slack_standin)) == sorted(o.key for o in plan.values())
    with db.read() as session:
        u1 = session.exec(select(Reminder).where(Reminder.recipient == "U1")).one()
    assert (u1.state, u1.ts) == ("sent", posted["ts"])


def test_429_storm_all_delivered_none_repeated(db, slack_standin, monkeypatch) -> None:
    slept: list[float] = []
    # slack_sdk's RateLimitErrorRetryHandler sleeps Retry-After: record it, don't wait
    monkeypatch.setattr(
        "slack_sdk.http_retry.builtin_handlers.time", types.SimpleNamespace(sleep=slept.append)
    )
    with db.write() as session:
        build(session, Tracker([A(f"U{n}", D(2026, 11, 30)) for n in range(1, 13)]))
    slack_standin.rate_limit_next(40, retry_after=2, methods=("chat.postMessage",))
    settings = sweep_settings(slack_standin)
    ours: list[float] = []
    result = sweep(
        db=db,
        client=reminder_client(settings),
        settings=settings,
        now=local(2026, 11, 25, 9, 1),
        render=reminder_message,
        sleep=ours.append,
    )
    assert result.count("sent") == 12
    keys = keys_at(slack_standin)
    assert len(keys) == len(set(keys)) == 12
    limited = [c for c in slack_standin.calls_to("chat.postMessage") if c.status == 429]
    assert len(limited) == 40
    assert all(s >= 2 for s in slept + ours) and len(slept) + len(ours) == 40


def test_dry_run_claims_nothing_and_sends_nothing(db, slack_standin) -> None:
    with db.write() as session:
        build(session, Tracker([A("U1", D(2026, 11, 30))]))
    settings = sweep_settings(slack_standin)
    result = sweep(db=db, client=None, settings=settings, now=local(2026, 11, 25, 9), dry_run=True)
    assert [(o.state, o.owed.recipient) for o in result.outcomes] == [("would-send", "U1")]
    with db.read() as session:
        assert session.exec(select(Reminder)).all() == []
    assert slack_standin.calls == []


def test_a_claim_held_by_another_sweep_is_skipped(db, slack_standin) -> None:
    with db.write() as session:
        build(session, Tracker([A("U1", D(2026, 11, 30))]))
    settings = sweep_settings(slack_standin)
    now = local(2026, 11, 25, 9)
    with db.read() as session:
        (o,) = owed(session, now=now, settings=settings)
    courier = Courier(db, reminder_client(settings), lambda: now, lambda s: None, Pacer())
    delivery = sweep_mod._Delivery(courier, settings, {}, reminder_message)
    assert delivery.one(o, None).state == "sent"
    assert delivery.one(o, None).state == "taken"  # the unique claim: no second send
    assert len(keys_at(slack_standin)) == 1


def test_pacer_spaces_messages_to_one_channel() -> None:
    t = [100.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        t[0] += s

    pacer = Pacer(1.0, monotonic=lambda: t[0], sleep=sleep)
    for channel in ["C1", "D1", "C1", "C1", "D2"]:
        pacer.wait(channel)
        t[0] += 0.25
    assert slept == [pytest.approx(0.5), pytest.approx(0.75)]  # C1 at 100, 101, 102


def test_a_recipient_slack_refuses_for_good_is_tried_once_and_left_failed(
    db, slack_standin
) -> None:
    with db.write() as session:
        build(session, Tracker([A("U0GONE", D(2026, 11, 30)), A("U1", D(2026, 11, 30))]))
    slack_standin.strict_users = True  # U0GONE is unknown to Slack: user_not_found
    slack_standin.add_user("U1")
    for minute in range(1, 120, 7):  # sweeps through the morning
        result = run_sweep(db, slack_standin, local(2026, 11, 25, 9) + timedelta(minutes=minute))
    assert {o.owed.recipient: o.state for o in result.outcomes} == {
        "U0GONE": "failed",
        "U1": "already",
    }
    with db.read() as session:
        gone = session.exec(select(Reminder).where(Reminder.recipient == "U0GONE")).one()
    assert (gone.state, gone.attempts, gone.error) == ("failed", 1, "user_not_found")
    opens = [c for c in slack_standin.calls_to("conversations.open") if c.args["users"] == "U0GONE"]
    assert len(opens) == 1
    assert len(keys_at(slack_standin)) == 1
