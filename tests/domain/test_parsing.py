"""What people type: refs, mentions, status words and dates, in the local calendar."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.syntax import read_mentions
from conversation.grammar import read_person
from models.errors import DateOutOfRange, UsageError
from models.parsing import (
    Ref,
    example_day,
    parse_date,
    parse_ref,
    parse_status,
    parse_time,
    split_date,
    split_status,
)
from models.tables import Status

WED = date(2026, 11, 25)  # the test clock's today
SPRING_FORWARD_EVE = date(2026, 3, 28)  # Saturday; clocks go forward overnight
FALL_BACK_EVE = date(2026, 10, 24)  # Saturday; clocks go back overnight

DATES = [
    # (typed, today, expected)
    ("2025-03-01", WED, date(2025, 3, 1)),
    ("2027-1-9", WED, date(2027, 1, 9)),
    ("03/04/2025", WED, date(2025, 4, 3)),  # day first, always
    ("3/4/25", WED, date(2025, 4, 3)),
    ("13/01/2027", WED, date(2027, 1, 13)),
    ("1 March", WED, date(2027, 3, 1)),  # the next 1 March
    ("1 march 2025", WED, date(2025, 3, 1)),
    ("March 1", WED, date(2027, 3, 1)),
    ("25 November", WED, WED),  # today's date is today, not next year
    ("26 November", WED, date(2026, 11, 26)),
    ("today", WED, WED),
    ("tomorrow", WED, date(2026, 11, 26)),
    ("  Tomorrow ", WED, date(2026, 11, 26)),
    ("next friday", WED, date(2026, 11, 27)),
    ("Next Friday", WED, date(2026, 11, 27)),
    ("in 2 weeks", WED, date(2026, 12, 9)),
    ("in 3 days", WED, date(2026, 11, 28)),
    # Across the DST change days in Europe/London: plain calendar arithmetic.
    ("tomorrow", SPRING_FORWARD_EVE, date(2026, 3, 29)),
    ("in 2 weeks", SPRING_FORWARD_EVE, date(2026, 4, 11)),
    ("next friday", SPRING_FORWARD_EVE, date(2026, 4, 3)),
    ("in 1 day", date(2026, 3, 29), date(2026, 3, 30)),
    ("tomorrow", FALL_BACK_EVE, date(2026, 10, 25)),
    ("in 2 weeks", FALL_BACK_EVE, date(2026, 11, 7)),
    ("next friday", FALL_BACK_EVE, date(2026, 10, 30)),
    ("tomorrow", date(2026, 10, 25), date(2026, 10, 26)),
]


@pytest.mark.parametrize(("typed", "today", "expected"), DATES)
def test_dates(typed, today, expected):
    assert parse_date(typed, today=today) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "31/02/2025",
        "29/02/2025",
        "2025-13-01",
        "2025-02-29",
        "32/01/2025",
        "0/1/2025",
        "31 April 2026",
    ],
)
def test_impossible_dates_are_refused_with_how_to_write_them(typed):
    with pytest.raises(UsageError) as info:
        parse_date(typed, today=WED)
    assert typed in info.value.message
    assert "31/01/2027 (day first)" in info.value.message  # computed from today
    assert "next friday" in info.value.message


@pytest.mark.parametrize(
    ("today", "example"),
    [
        (WED, date(2027, 1, 31)),
        (date(2026, 12, 2), date(2027, 2, 28)),
        (date(2027, 12, 31), date(2028, 2, 29)),
        (date(2030, 10, 1), date(2030, 12, 31)),
    ],
)
def test_the_example_date_is_the_end_of_the_month_after_next(today, example):
    assert example_day(today) == example
    with pytest.raises(UsageError) as info:
        parse_date("31/02/2025", today=today)
    assert f"{example:%d/%m/%Y} (day first)" in info.value.message


@pytest.mark.parametrize(
    "typed",
    [
        "31/12/9999",
        "9999-12-31",
        "31 December 9999",
        "1 January 0001",
        "0001-01-01",
        "1/1/0001",
        "31/12/1999",
        "1/1/2101",
        "in 100 years",
        "in 100000 days",
    ],
)
def test_dates_outside_2000_to_2100_are_refused_naming_the_window(typed):
    with pytest.raises(UsageError) as info:
        parse_date(typed, today=WED)
    message = info.value.message
    if isinstance(info.value, DateOutOfRange):
        assert message == (
            f"`{typed}` is outside the dates the tracker takes (2000 to 2100). "
            "Write a date like 31/01/2027."
        )
    else:  # too far even to count to: not a date at all
        assert "is not a date I can read" in message


def test_the_window_edges_are_taken():
    assert parse_date("01/01/2000", today=WED) == date(2000, 1, 1)
    assert parse_date("31/12/2100", today=WED) == date(2100, 12, 31)


@pytest.mark.parametrize(
    ("typed", "day", "rest"),
    [
        (
            "28/02/2027 MARAC review delayed by partners",
            date(2027, 2, 28),
            "MARAC review delayed by partners",
        ),
        ("28/02/2027", date(2027, 2, 28), ""),
        ("2027-02-28: partners late", date(2027, 2, 28), "partners late"),
        ("28 February 2027 partners late", date(2027, 2, 28), "partners late"),
        ("28 February 2027, partners late", date(2027, 2, 28), "partners late"),
        ("1 March 3 trainers off sick", date(2027, 3, 1), "3 trainers off sick"),
        ("1 June may slip again", date(2027, 6, 1), "may slip again"),
        ("next friday a new rota", date(2026, 11, 27), "a new rota"),
        ("friday in case", date(2026, 11, 27), "in case"),
        ("in 2 weeks the board moved", date(2026, 12, 9), "the board moved"),
        ("tomorrow — slots moved", date(2026, 11, 26), "slots moved"),
        ("the 5th of March", date(2027, 3, 5), ""),
    ],
)
def test_a_date_then_a_reason(typed, day, rest):
    assert split_date(typed, today=WED) == (day, rest)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "A date is missing"),
        ("soon, partners willing", "is not a date"),
        ("31/02/2027 partners late", "`31/02/2027` is not a real date"),
        ("31/12/9999 no date yet", "`31/12/9999` is outside the dates"),
        ("31 December 9999 no date yet", "`31 December 9999` is outside the dates"),
    ],
)
def test_a_date_then_a_reason_refuses_a_bad_date(typed, error):
    with pytest.raises(UsageError, match=error):
        split_date(typed, today=WED)


@pytest.mark.parametrize("typed", ["", "soon", "12/2025", "1/1/1", "2025/03/01"])
def test_unreadable_dates_are_refused(typed):
    with pytest.raises(UsageError, match="Write dates as"):
        parse_date(typed, today=WED)


def test_29_february_in_a_leap_year_is_fine():
    assert parse_date("29/02/2028", today=WED) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("typed", "ref"),
    [
        ("R2", Ref(2)),
        ("r2", Ref(2)),
        ("R2.1", Ref(2, 1)),
        ("r2.1", Ref(2, 1)),
        ("2.1", Ref(2, 1)),
        (" 10.12 ", Ref(10, 12)),
        ("2", Ref(2)),
        ("NCPI:R2.1", Ref(2, 1, "NCPI")),
        ("peel:3", Ref(3, None, "peel")),
    ],
)
def test_refs(typed, ref):
    assert parse_ref(typed) == ref


def test_ref_prints_as_people_write_it():
    assert (str(Ref(2)), str(Ref(2, 1))) == ("R2", "R2.1")


@pytest.mark.parametrize(
    "typed", ["X2", "R2-1", "R", "R0", "R2.0", "R2.1.3", "", "two", ":R2", "NCPI R2", "1X:R2"]
)
def test_bad_refs_say_how_to_write_one(typed):
    with pytest.raises(UsageError, match="R2 and an action as R2.1"):
        parse_ref(typed)


def test_a_ref_of_the_wrong_kind_says_which_is_wanted():
    with pytest.raises(UsageError, match="R2.1"):
        parse_ref("R2", want="action")
    with pytest.raises(UsageError, match="name its recommendation, e.g. R2"):
        parse_ref("R2.1", want="recommendation")


@pytest.mark.parametrize(
    ("typed", "user"),
    [
        ("<@U123ABC|jane.smith>", "U123ABC"),
        ("<@U123ABC>", "U123ABC"),
        ("<@W0ENT1>", "W0ENT1"),
        ("U0SAFELEAD", "U0SAFELEAD"),
    ],
)
def test_mentions(typed, user):
    """A person as Slack writes them in a command, read as the conversation reads one."""
    assert read_person(read_mentions(typed)) == user


@pytest.mark.parametrize(
    "typed", ["@jane", "jane", "<#C123|general>", "<@>", "<!channel>", "WORKERS", "@UPDATE"]
)
def test_not_a_person(typed):
    """A word in capitals is not a person (a user id always has a digit)."""
    with pytest.raises(UsageError, match="Mention them with @"):
        read_person(read_mentions(typed))


@pytest.mark.parametrize(
    ("typed", "status", "rest"),
    [
        ("on track", Status.ON_TRACK, ""),
        ("On Track all good", Status.ON_TRACK, "all good"),
        ("at risk waiting on IT", Status.AT_RISK, "waiting on IT"),
        ("at risk: waiting on IT", Status.AT_RISK, "waiting on IT"),
        ("risk", Status.AT_RISK, ""),
        ("amber", Status.AT_RISK, ""),
        ("delayed by vetting", Status.AT_RISK, "by vetting"),
        ("blocked no budget", Status.BLOCKED, "no budget"),
        ("stuck", Status.BLOCKED, ""),
        ("not started", Status.NOT_STARTED, ""),
        ("in progress", Status.ON_TRACK, ""),
        ("done policy published", Status.IMPLEMENTED, "policy published"),
        ("implemented", Status.IMPLEMENTED, ""),
        ("at-risk - vetting delays", Status.AT_RISK, "vetting delays"),
        ("blocked: no budget", Status.BLOCKED, "no budget"),
        ("On-track", Status.ON_TRACK, ""),
        ("not-started yet", Status.NOT_STARTED, "yet"),
    ],
)
def test_status_words_longest_match(typed, status, rest):
    assert split_status(typed) == (status, rest)


def test_unknown_status_lists_the_words():
    with pytest.raises(UsageError) as info:
        split_status("nearly there")
    assert "not started, on track, at risk, blocked, implemented" in info.value.message
    with pytest.raises(UsageError):
        split_status("")


def test_parse_status_wants_only_a_status():
    assert parse_status("At Risk") == Status.AT_RISK
    with pytest.raises(UsageError):
        parse_status("at risk waiting")


@pytest.mark.parametrize(
    ("typed", "at"),
    [
        ("10:00", time(10)),
        ("14.30", time(14, 30)),
        ("2pm", time(14)),
        ("12am", time(0)),
        ("9", time(9)),
    ],
)
def test_times(typed, at):
    assert parse_time(typed) == at


@pytest.mark.parametrize("typed", ["25:00", "10:75", "noonish"])
def test_bad_times(typed):
    with pytest.raises(UsageError, match="10:00 or 2pm"):
        parse_time(typed)
