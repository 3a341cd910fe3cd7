"""Reading a recommendation's timescale into a target date from publication (issue 12.2)."""

from __future__ import annotations

from datetime import date

import pytest

from models.errors import UsageError
from models.timescales import read_timescale, target_date

PUBLISHED = date(2022, 12, 22)  # the sample's NCPI report

READ = [
    ("Immediately", 28, date(2023, 1, 19)),
    ("immediately.", 28, date(2023, 1, 19)),
    ("Immediately", 14, date(2023, 1, 5)),  # NCPI_IMMEDIATELY_DAYS=14
    ("Within three months", 28, date(2023, 3, 22)),
    ("within 3 months", 28, date(2023, 3, 22)),
    ("Within six months", 28, date(2023, 6, 22)),
    ("within six weeks", 28, date(2023, 2, 2)),
    ("Within 56 days", 28, date(2023, 2, 16)),
    ("within a year", 28, date(2023, 12, 22)),
    ("within three months of publication", 28, date(2023, 3, 22)),
    ("3 months", 28, date(2023, 3, 22)),  # as a force's own tracker writes it
    ("Now", 28, date(2023, 1, 19)),
    ("By 31 March 2027", 28, date(2027, 3, 31)),
    ("by 31/03/2027", 28, date(2027, 3, 31)),
    ("No timescale given", 28, None),
    ("", 28, None),
    (None, 28, None),
]


@pytest.mark.parametrize(("text", "immediately", "expected"), READ, ids=[str(r) for r in READ])
def test_a_timescale_is_a_day_counted_from_publication(text, immediately, expected) -> None:
    assert target_date(text, PUBLISHED, immediately_days=immediately) == expected


def test_a_month_with_no_such_day_ends_on_its_last_day() -> None:
    assert target_date("within three months", date(2026, 11, 30)) == date(2027, 2, 28)


def test_without_a_publication_date_only_a_fixed_date_is_known() -> None:
    assert target_date("Within three months", None) is None
    assert target_date("Immediately", None) is None
    assert target_date("By 31 March 2027", None) == date(2027, 3, 31)


@pytest.mark.parametrize(
    "text", ["soon", "as soon as possible", "within several months", "by March", "Q3 2027"]
)
def test_an_unreadable_timescale_is_refused_saying_how_to_write_it(text) -> None:
    with pytest.raises(UsageError) as e:
        read_timescale(text)
    assert "within three months" in e.value.message and "by 31/03/2027" in e.value.message
