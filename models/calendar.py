"""Local calendar: working days (weekends and England-and-Wales bank holidays skipped),
local ↔ UTC conversion (DST-safe, zoneinfo)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year).items())


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def bank_holiday_name(day: date) -> str | None:
    """`bank_holiday_name(date(2026, 12, 28))` → "Boxing Day (observed)"; None on other days."""
    return _bank_holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    """The first working day strictly before `day`."""
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def on_or_before_working_day(day: date) -> date:
    return day if is_working_day(day) else previous_working_day(day)


def add_working_days(day: date, n: int) -> date:
    """`n` working days after (n > 0) or before (n < 0) `day`."""
    step = next_working_day if n >= 0 else previous_working_day
    for _ in range(abs(n)):
        day = step(day)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def overdue_working_days(due: date | None, today: date) -> int:
    """How late an action is, in working days: the working days after its due date up to and
    including today. 0 when it is not yet late (no due date, or due today or later). An action
    past its due date is at least 1 working day late, so on a weekend or bank holiday straight
    after the due date it reads "overdue by 1 working day", never "by 0". This is the count
    the due-date reminders and the escalation use; every view shows this number."""
    if due is None or due >= today:
        return 0
    return max(1, working_days_between(due, today))


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    return instant.astimezone(tz).date()


def local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """A local wall-clock time as a UTC instant (a time skipped by DST moves forward)."""
    local = datetime.combine(day, at, tzinfo=tz)
    # Round-trip through UTC normalises nonexistent local times (spring forward).
    return local.astimezone(UTC)
