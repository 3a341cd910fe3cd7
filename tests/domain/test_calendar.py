"""Working days (England and Wales) and local time across the clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from models.calendar import (
    add_working_days,
    is_bank_holiday,
    is_working_day,
    local_date,
    local_to_utc,
    next_working_day,
    on_or_before_working_day,
    previous_working_day,
    working_days_between,
)
from tests.conftest import TZ


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 25), True),  # Wednesday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 29), False),  # Sunday
        (date(2026, 12, 25), False),  # Christmas Day (Friday)
        (date(2026, 12, 28), False),  # Boxing Day falls on Saturday: substitute Monday
        (date(2027, 1, 1), False),  # New Year's Day
        (date(2027, 3, 26), False),  # Good Friday
        (date(2027, 3, 29), False),  # Easter Monday
        (date(2027, 3, 30), True),
        (date(2027, 5, 3), False),  # Early May bank holiday
        (date(2027, 8, 30), False),  # Summer bank holiday (England, not Scotland)
    ],
)
def test_working_days(day, working):
    assert is_working_day(day) is working


def test_scottish_and_northern_irish_holidays_are_working_days():
    assert is_working_day(date(2027, 1, 4))  # 2 January substitute: Scotland only
    assert is_working_day(date(2027, 3, 17))  # St Patrick's Day: Northern Ireland only
    assert not is_bank_holiday(date(2027, 11, 30))  # St Andrew's Day


def test_stepping_over_christmas_and_easter():
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)
    assert previous_working_day(date(2026, 12, 29)) == date(2026, 12, 24)
    assert next_working_day(date(2027, 3, 25)) == date(2027, 3, 30)
    assert add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 30)
    assert add_working_days(date(2027, 3, 31), -2) == date(2027, 3, 25)
    assert add_working_days(date(2026, 11, 25), 0) == date(2026, 11, 25)
    assert on_or_before_working_day(date(2026, 12, 26)) == date(2026, 12, 24)
    assert on_or_before_working_day(date(2026, 11, 25)) == date(2026, 11, 25)


def test_working_days_between():
    assert working_days_between(date(2026, 12, 18), date(2027, 1, 4)) == 8
    assert working_days_between(date(2027, 1, 4), date(2026, 12, 18)) == -8
    assert working_days_between(date(2026, 11, 25), date(2026, 11, 25)) == 0


@pytest.mark.parametrize(
    ("day", "at", "utc"),
    [
        (date(2026, 3, 28), time(9), datetime(2026, 3, 28, 9, tzinfo=UTC)),  # GMT
        (date(2026, 3, 29), time(9), datetime(2026, 3, 29, 8, tzinfo=UTC)),  # BST from 01:00 UTC
        (date(2026, 3, 29), time(0, 30), datetime(2026, 3, 29, 0, 30, tzinfo=UTC)),
        (date(2026, 10, 24), time(9), datetime(2026, 10, 24, 8, tzinfo=UTC)),  # BST
        (date(2026, 10, 25), time(9), datetime(2026, 10, 25, 9, tzinfo=UTC)),  # GMT again
        (date(2026, 7, 1), time(23, 30), datetime(2026, 7, 1, 22, 30, tzinfo=UTC)),
    ],
)
def test_local_to_utc_across_dst(day, at, utc):
    got = local_to_utc(day, at, TZ)
    assert got == utc and got.tzinfo is UTC
    assert local_date(got, TZ) == day


def test_a_time_skipped_by_spring_forward_still_lands_that_morning():
    got = local_to_utc(date(2026, 3, 29), time(1, 30), TZ)  # 01:30 does not exist
    assert got.astimezone(TZ).date() == date(2026, 3, 29)
    assert (
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC) <= got <= datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    )


def test_local_date_of_a_late_utc_instant_in_summer():
    assert local_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC), TZ) == date(2026, 7, 1)
