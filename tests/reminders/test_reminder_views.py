"""Reminder DM wording: what an owner reads at the top of a due-date reminder."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.views.reminders import reminder_message
from models.planner import Kind, Owed, OwedItem

TZ = ZoneInfo("Europe/London")


def _item(n: int, note: str) -> OwedItem:
    return OwedItem(n, f"R2.{n}", f"Action {n}", "U0OWNER01", date(2026, 11, 20), "on_track", note)


def test_a_due_reminder_for_several_actions_counts_them_in_plain_english():
    owed = Owed(
        kind=Kind.DUE,
        target="U0OWNER01",
        local_day=date(2026, 11, 25),
        recipient="U0OWNER01",
        reason="",
        items=(_item(1, "overdue by 3 working days"), _item(2, "due in 3 working days")),
        today=date(2026, 11, 25),
    )
    text = reminder_message(owed, last_updates={}, tz=TZ)["text"]
    assert text == "2 of your actions need an update (1 overdue)."


def test_a_due_reminder_for_one_action_names_it():
    owed = Owed(
        kind=Kind.DUE,
        target="U0OWNER01",
        local_day=date(2026, 11, 25),
        recipient="U0OWNER01",
        reason="",
        items=(_item(1, "overdue by 1 working day"),),
        today=date(2026, 11, 25),
    )
    text = reminder_message(owed, last_updates={}, tz=TZ)["text"]
    assert text == "R2.1 Action 1 is overdue by 1 working day. Please update it."


def test_the_row_in_a_reminder_counts_lateness_in_working_days_as_its_headline_does():
    # Due Fri 13 Nov, sent Wed 25 Nov: 12 calendar days, 8 working days.
    item = OwedItem(
        1,
        "R2.1",
        "Action 1",
        "U0OWNER01",
        date(2026, 11, 13),
        "on_track",
        "overdue by 8 working days (due Fri 13 Nov)",
    )
    owed = Owed(
        kind=Kind.DUE,
        target="U0OWNER01",
        local_day=date(2026, 11, 25),
        recipient="U0OWNER01",
        reason="",
        items=(item,),
        today=date(2026, 11, 25),
    )
    message = reminder_message(owed, last_updates={}, tz=TZ)
    row = message["blocks"][1]["text"]["text"]
    assert "due 13 Nov, *overdue by 8 working days*" in row, row
    assert "12 days" not in row


def test_a_first_panels_readiness_note_names_the_day_its_window_opened(db, slack_standin):
    """With no panel before it, the leads' note the day before a panel says since when an
    update counts (four weeks before it), the day the planner counted from."""
    from models.tables import Role
    from tests.reminder_fixtures import A, M, Tracker, build, local, run_sweep

    lead = "U0LEAD001"
    with db.write() as s:
        build(
            s,
            Tracker(
                [A("U0OWNER01", date(2027, 3, 31)), A("U0OWNER02", date(2027, 3, 31))],
                members=[M(lead, role=Role.LEAD), M("U0OWNER01"), M("U0OWNER02")],
                panels=[local(2026, 12, 18, 10)],
            ),
        )
    run_sweep(db, slack_standin, local(2026, 12, 17, 9, 1))
    (note,) = [
        m["text"]
        for m in slack_standin.messages(slack_standin.dm_channel(lead))
        if "Panel Fri 18 Dec" in m["text"]
    ]
    assert "2 actions have had no update since Fri 20 Nov." in note
