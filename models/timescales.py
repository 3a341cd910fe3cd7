"""A recommendation's timescale, as HMICFRS writes it, read into a target date.

HMICFRS sets each recommendation a timescale counted from the report's publication:
"immediately", "within three months", "within six months", or a fixed "by 31 March 2027".
`read_timescale` reads the text (refusing what it cannot read, with how to write it);
`target_date` turns it into a day, given the publication date.

"Immediately" has no length in the reports; the tracker counts it as a short period
(`NCPI_IMMEDIATELY_DAYS`, default IMMEDIATELY_DAYS) so it can be chased like the others.
A month counts to the same day of the month (22 Dec + 3 months = 22 Mar), or the month's
last day when it has no such day (30 Nov + 3 months = 28 Feb).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from models.errors import UsageError
from models.parsing import parse_date

IMMEDIATELY_DAYS = 28

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty-four": 24,
}
UNITS = {"day": "days", "week": "weeks", "month": "months", "year": "years"}
NONE_GIVEN = {"", "-", "none", "n/a", "na", "no timescale", "no timescale given", "not stated"}
IMMEDIATE = re.compile(r"^(?:immediately|immediate|with immediate effect|now|at once)$")
WITHIN = re.compile(
    r"^(?:(?:within|in)\s+)?(\d{1,3}|[a-z-]+)\s+(day|week|month|year)s?"
    r"(?:\s+(?:of|from|after)\s+(?:the\s+report'?s?\s+)?publication)?$"
)
BY = re.compile(r"^(?:by|before|no later than)\s+(.+)$")
FULL_DATE = re.compile(r"\b\d{4}$")  # a fixed date must say its year
HOW = (
    "write it as immediately, within three months (or days, weeks, years), "
    "by 31/03/2027, or leave it empty"
)


@dataclass(frozen=True)
class Timescale:
    """What a timescale says: `immediately`, `within` an amount of a unit, `by` a day,
    or `none` (the report gives none)."""

    kind: str
    amount: int = 0
    unit: str = ""  # days | weeks | months | years
    day: date | None = None

    def target(
        self, published: date | None, *, immediately_days: int = IMMEDIATELY_DAYS
    ) -> date | None:
        return target_date(self, published, immediately_days=immediately_days)


def read_timescale(text: str | None) -> Timescale:
    """The timescale text read; UsageError (saying how to write it) when it cannot be."""
    s = " ".join((text or "").lower().replace("’", "'").split()).rstrip(".")
    if s in NONE_GIVEN:
        return Timescale("none")
    if IMMEDIATE.match(s):
        return Timescale("immediately")
    m = WITHIN.match(s)
    if m:
        word, unit = m.groups()
        amount = int(word) if word.isdigit() else NUMBER_WORDS.get(word)
        if amount:
            return Timescale("within", amount, UNITS[unit])
    m = BY.match(s)
    if m and FULL_DATE.search(m.group(1)):
        try:
            # The year is given, so `today` only matters for the date window's check.
            return Timescale("by", day=parse_date(m.group(1), today=date(2000, 1, 1)))
        except UsageError:
            pass
    raise UsageError(f"is not a timescale I can read; {HOW}")


def add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def target_date(
    timescale: Timescale | str | None,
    published: date | None,
    *,
    immediately_days: int = IMMEDIATELY_DAYS,
) -> date | None:
    """The day a recommendation is due by; None when it has no timescale, or when its
    timescale counts from a publication date the tracker does not know."""
    t = timescale if isinstance(timescale, Timescale) else read_timescale(timescale)
    if t.kind == "by":
        return t.day
    if t.kind == "none" or published is None:
        return None
    if t.kind == "immediately":
        return published + timedelta(days=immediately_days)
    if t.unit == "days":
        return published + timedelta(days=t.amount)
    if t.unit == "weeks":
        return published + timedelta(weeks=t.amount)
    return add_months(published, t.amount * (12 if t.unit == "years" else 1))


def safe_target(
    text: str | None, published: date | None, *, immediately_days: int = IMMEDIATELY_DAYS
) -> date | None:
    """As `target_date`, but None for a timescale that cannot be read (one written before
    import checked them): a reader shows the text as it is rather than failing."""
    try:
        return target_date(text, published, immediately_days=immediately_days)
    except UsageError:
        return None
