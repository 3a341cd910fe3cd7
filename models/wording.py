"""Small wording helpers shared by the planner's reasons and the Slack views."""

from __future__ import annotations

from datetime import date


def plural(n: int, word: str) -> str:
    """`plural(1, "day")` → "1 day"; `plural(3, "day")` → "3 days"."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def overdue_by(working_days: int) -> str:
    """How late an action is, in the one unit every view uses (see
    `models.calendar.overdue_working_days`): `overdue_by(1)` → "overdue by 1 working day"."""
    return f"overdue by {plural(working_days, 'working day')}"


def long_day(day: date) -> str:
    """`long_day(date(2026, 12, 7))` → "Mon 7 Dec 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"
