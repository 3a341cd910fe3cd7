"""How an action stands against its due date, in working days and in words."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from models.calendar import is_working_day
from models.tables import Status
from models.wording import plural, week_day


class _WorkIndex:
    """W[d] = working days in [lo, d]: working days between a and b is W[b] - W[a]."""

    def __init__(self, lo: date, hi: date) -> None:
        self.lo = lo
        self.notes: dict[tuple, str] = {}  # due_note memo: (due, implemented, today) → text
        self.count: dict[date, int] = {}
        n, d = 0, lo
        while d <= hi:
            if is_working_day(d):
                n += 1
            self.count[d] = n
            d += timedelta(days=1)

    def between(self, a: date, b: date) -> int:
        """Working days in (a, b] (as calendar.working_days_between), a and b in range."""
        return self.count[b] - self.count[a]


_fmt = lru_cache(maxsize=4096)(week_day)  # asked for every action a big plan lists


def due_note(due: date | None, status: str, today: date, wi: _WorkIndex | None = None) -> str:
    """How an action stands against its due date today, in words."""
    if wi is not None:
        key = (due, status == Status.IMPLEMENTED, today)
        note = wi.notes.get(key)
        if note is None:
            note = wi.notes[key] = _due_note(due, status, today, wi)
        return note
    return _due_note(due, status, today, None)


def _due_note(due: date | None, status: str, today: date, wi: _WorkIndex | None) -> str:
    if status == Status.IMPLEMENTED:
        return "implemented, awaiting verification"
    if due is None:
        return "no due date"
    if due < today:
        n = wi.between(due, today) if wi else _between(due, today)
        return f"overdue by {plural(n, 'working day')} (due {_fmt(due)})"
    if due == today:
        return "due today"
    n = wi.between(today, due) if wi else _between(today, due)
    if n == 0:  # due on a weekend or bank holiday straight after today
        return f"due {_fmt(due)}"
    return f"due in {plural(n, 'working day')} ({_fmt(due)})"


def _between(a: date, b: date) -> int:
    from models.calendar import working_days_between

    return working_days_between(a, b)
