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
