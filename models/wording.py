"""Small wording helpers shared by the planner's reasons, the views, the CLI and the paper:
counts agree with their nouns and verbs, lists are joined with "and", days read as people
say them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from models.errors import LeadOnly, NcpiError
from models.people import people


def noun(n: int, word: str, many: str | None = None) -> str:
    """The noun for a count: `noun(1, "day")` → "day"; `noun(2, "day")` → "days"."""
    return word if n == 1 else (many or f"{word}s")


def plural(n: int, word: str, many: str | None = None) -> str:
    """`plural(1, "day")` → "1 day"; `plural(3, "day")` → "3 days"."""
    return f"{n} {noun(n, word, many)}"


def verb(n: int, one: str, many: str) -> str:
    """The verb agreeing with a count: `verb(1, "has", "have")` → "has"."""
    return one if n == 1 else many


def and_list(items: Sequence[str]) -> str:
    """`and_list(["R2", "R9", "R10"])` → "R2, R9 and R10"; one item alone; none → ""."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def have_been(items: Sequence[str], done: str) -> str:
    """`have_been(["R2", "R9"], "signed off")` → "R2 and R9 have been signed off"."""
    return f"{and_list(items)} {verb(len(items), 'has', 'have')} been {done}"


def in_days(n: int) -> str:
    """How far off a day is: "today", "tomorrow", "in 3 days" (or "yesterday", "3 days ago")."""
    if n == 0:
        return "today"
    if n == 1:
        return "tomorrow"
    if n == -1:
        return "yesterday"
    return f"in {plural(n, 'day')}" if n > 0 else f"{plural(-n, 'day')} ago"


def overdue_by(working_days: int) -> str:
    """How late an action is, in the one unit every view uses (see
    `models.calendar.overdue_working_days`): `overdue_by(1)` → "overdue by 1 working day"."""
    return f"overdue by {plural(working_days, 'working day')}"


def ask_a_lead(board: str | None) -> str:
    """Who to ask when only a lead can do something: the force's board (NCPI_BOARD_NAME)."""
    return f"Ask a lead on the {board}." if board else "Ask a lead."


def error_text(error: NcpiError, *, board: str | None, person: Callable[[str], str]) -> str:
    """What the user is told for an error: its sentence, with each person rendered by the
    front end's `person(user_id)`, and who to ask when only a lead can."""
    text = people(error.message, person)
    return f"{text} {ask_a_lead(board)}" if isinstance(error, LeadOnly) else text


def long_day(day: date) -> str:
    """`long_day(date(2026, 12, 7))` → "Mon 7 Dec 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def week_day(day: date) -> str:
    """`week_day(date(2026, 12, 7))` → "Mon 7 Dec": a day near enough to need no year."""
    return f"{day:%a} {day.day} {day:%b}"


def short_day(day: date | None, today: date | None = None) -> str:
    """`12 Dec` (the year only when it is not this one's); "no due date" for none."""
    if day is None:
        return "no due date"
    if today is not None and day.year != today.year:
        return f"{day:%-d %b %Y}"
    return f"{day:%-d %b}"


def local_time(instant: datetime, tz: ZoneInfo) -> str:
    """The time of day where the tracker is kept: `10:42`."""
    return f"{instant.astimezone(tz):%H:%M}"


def panel_name(day: date, paper_ref: str | None) -> str:
    """A panel meeting as people name it: `Mon 7 Dec 2026 (AP26/04)`."""
    return long_day(day) + (f" ({paper_ref})" if paper_ref else "")
