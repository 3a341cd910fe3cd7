"""Parsing shared by every front end: refs, statuses, dates. (People are written in each
platform's own way; the front end reads them into ids.)"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time

import dateparser

from models.errors import DateOutOfRange, UsageError
from models.kinds import PREFIX, item_ref, kind_of, noun
from models.tables import ItemKind, Status

# `R2`, `r2.1`, `2.1`, `AFI3`, `C1.2`; with several inspections tracked, `NCPI:R2.1` names one.
REF = re.compile(
    rf"^(?:([A-Z][A-Z0-9_-]{{0,39}}):)?{PREFIX}(\d{{1,3}})(?:\.(\d{{1,3}}))?$", re.IGNORECASE
)
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
UK_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$")
TIME = re.compile(r"^(\d{1,2})(?::|\.)?(\d{2})?\s*(am|pm)?$", re.IGNORECASE)

NUMERIC_DATE = re.compile(r"^\d+[/.\-]\d+")
# The dates the tracker takes. Far-off placeholders ("31/12/9999" for "no date") and typing
# slips would otherwise be stored and break every calendar sum made with them.
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
DATE_WINDOW = f"the dates the tracker takes ({EARLIEST.year} to {LATEST.year})"
# Words a written date is made of; a reason may follow them (`28 February 2027 partners late`).
_MONTHS = "jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?"
_DAYS = "mon(day)?|tue(s|sday)?|wed(nesday)?|thu(rs|rsday)?|fri(day)?|sat(urday)?|sun(day)?"
MONTH_WORD = re.compile(rf"^({_MONTHS})$", re.IGNORECASE)
DATE_WORD = re.compile(
    rf"^(\d{{1,4}}(st|nd|rd|th)?|{_MONTHS}|{_DAYS}|today|tomorrow|next|this|in|a|an|of|the|"
    r"days?|weeks?|months?|years?)$",
    re.IGNORECASE,
)
# A date never ends on one of these: in `friday a new rota` the reason starts at `a`.
DANGLING = {"next", "this", "in", "a", "an", "of", "the"}


def example_day(today: date) -> date:
    """A date to show as an example: the last day of the month after next."""
    year, month0 = divmod(today.year * 12 + (today.month - 1) + 2, 12)
    return date(year, month0 + 1, calendar.monthrange(year, month0 + 1)[1])


def date_help(today: date) -> str:
    ex = example_day(today)
    return (
        f"Write dates as {ex.isoformat()}, {ex:%d/%m/%Y} (day first), 1 March, tomorrow, "
        "next friday or in 2 weeks."
    )


def in_window(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def check_window(day: date, *, today: date | None = None, written: str | None = None) -> date:
    """`day`, if the tracker takes it; otherwise DateOutOfRange naming the window."""
    if in_window(day):
        return day
    shown = f"`{written}`" if written else f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
    like = f" Write a date like {example_day(today):%d/%m/%Y}." if today else ""
    raise DateOutOfRange(f"{shown} is outside {DATE_WINDOW}.{like}")


@dataclass(frozen=True)
class Ref:
    rec: int  # the item's number, whatever its kind
    action: int | None = None
    inspection: str | None = None  # only when written, e.g. `NCPI:R2.1`
    kind: ItemKind = ItemKind.RECOMMENDATION

    @property
    def is_action(self) -> bool:
        return self.action is not None

    @property
    def item(self) -> str:
        """The item's own ref: `AFI3` for `AFI3.1`."""
        return item_ref(self.kind, self.rec)

    def __str__(self) -> str:
        return self.item if self.action is None else f"{self.item}.{self.action}"


def qualified(ref: Ref | str, inspection: str | None) -> str:
    """The ref with its inspection (`NCPI:R2.1`), the form every reader of refs takes
    whatever else is tracked; without an inspection, the ref as it is (`R2.1`)."""
    return f"{inspection}:{ref}" if inspection else str(ref)


def parse_ref(text: str, *, want: str | None = None) -> Ref:
    """`R2`, `r2.1`, `2.1`, `AFI3.1` → Ref. `want` is "action" or "recommendation" (any
    kind of item) to insist on one."""
    m = REF.match(text.strip())
    if not m or int(m.group(3)) == 0 or (m.group(4) is not None and int(m.group(4)) == 0):
        raise UsageError(
            f"`{text.strip()}` is not a reference. Write a recommendation as R2 and an action as "
            "R2.1 (an area for improvement as AFI3, a cause of concern as C1)."
        )
    ref = Ref(
        int(m.group(3)), int(m.group(4)) if m.group(4) else None, m.group(1), kind_of(m.group(2))
    )
    if want == "action" and not ref.is_action:
        raise UsageError(f"{ref} is {_a(ref)}; name one of its actions, e.g. {ref}.1.")
    if want == "recommendation" and ref.is_action:
        raise UsageError(f"{ref} is an action; name its {noun(ref.kind)}, e.g. {ref.item}.")
    return ref


def _a(ref: Ref) -> str:
    n = noun(ref.kind)
    return f"{'an' if n[0] in 'aeiou' else 'a'} {n}"


STATUS_WORDS: dict[str, Status] = {
    "not started": Status.NOT_STARTED,
    "not_started": Status.NOT_STARTED,
    "todo": Status.NOT_STARTED,
    "to do": Status.NOT_STARTED,
    "new": Status.NOT_STARTED,
    "on track": Status.ON_TRACK,
    "on_track": Status.ON_TRACK,
    "ontrack": Status.ON_TRACK,
    "in progress": Status.ON_TRACK,
    "progressing": Status.ON_TRACK,
    "green": Status.ON_TRACK,
    "ok": Status.ON_TRACK,
    "at risk": Status.AT_RISK,
    "at_risk": Status.AT_RISK,
    "atrisk": Status.AT_RISK,
    "risk": Status.AT_RISK,
    "amber": Status.AT_RISK,
    "delayed": Status.AT_RISK,
    "blocked": Status.BLOCKED,
    "stuck": Status.BLOCKED,
    "red": Status.BLOCKED,
    "implemented": Status.IMPLEMENTED,
    "done": Status.IMPLEMENTED,
    "complete": Status.IMPLEMENTED,
    "completed": Status.IMPLEMENTED,
    "finished": Status.IMPLEMENTED,
    "verified": Status.VERIFIED,
    "withdrawn": Status.WITHDRAWN,
}
STATUS_HELP = "Status is one of: not started, on track, at risk, blocked, implemented."


def split_status(text: str) -> tuple[Status, str]:
    """`at risk waiting on IT` → (AT_RISK, "waiting on IT"). Longest status phrase wins."""
    words = text.strip().split()
    for n in (2, 1):
        if len(words) >= n:
            head = " ".join(words[:n]).lower().rstrip(":,.-").replace("-", " ")
            if head in STATUS_WORDS:
                return STATUS_WORDS[head], " ".join(words[n:]).lstrip(":-–— ")
    shown = " ".join(words[:2]) if words else "(nothing)"
    raise UsageError(f"`{shown}` is not a status. {STATUS_HELP}")


def parse_status(text: str) -> Status:
    status, rest = split_status(text)
    if rest:
        raise UsageError(f"`{text}` is not a status. {STATUS_HELP}")
    return status


def parse_date(text: str, *, today: date) -> date:
    """A date in the local calendar. Impossible dates are refused, never guessed; so are
    dates outside 2000 to 2100 (DateOutOfRange)."""
    raw = text.strip()
    return check_window(_read_date(raw, today), today=today, written=raw)


def split_date(text: str, *, today: date) -> tuple[date, str]:
    """A date and what follows it: `28/02/2027 MARAC review delayed` → (that day, "MARAC
    review delayed"). The longest run of date words that reads as a date is the date."""
    words = text.split()
    if not words:
        parse_date("", today=today)  # raises: a date is missing
    if NUMERIC_DATE.match(words[0]):  # 28/02/2027, 2027-02-28: one word, read or refused
        return parse_date(words[0].rstrip(":,;"), today=today), _after(words[1:])
    run = 0
    for i, word in enumerate(words[:6]):
        core = word.rstrip(":,;")
        after_month = i > 0 and MONTH_WORD.match(words[i - 1].rstrip(":,;"))
        if not DATE_WORD.match(core) or (after_month and core.isdigit() and len(core) != 4):
            break  # `1 March 3 partners late`: a year has four digits
        run = i + 1
        if core != word:
            break  # `1 March: partners late`
    for n in range(run, 0, -1):
        if words[n - 1].rstrip(":,;").lower() in DANGLING:
            continue
        try:
            return parse_date(" ".join(words[:n]).rstrip(":,;"), today=today), _after(words[n:])
        except DateOutOfRange:
            raise
        except UsageError:
            continue
    return parse_date(text, today=today), ""  # nothing shorter reads: the whole, or its error


def _after(words: list[str]) -> str:
    return " ".join(words).lstrip(":;,-–— ").strip()


def _read_date(raw: str, today: date) -> date:
    help_ = date_help(today)
    if not raw:
        raise UsageError(f"A date is missing. {help_}")
    for pattern, order in ((ISO_DATE, "ymd"), (UK_DATE, "dmy")):
        m = pattern.match(raw)
        if m:
            parts = dict(zip(order, (int(g) for g in m.groups()), strict=True))
            year_written = m.group(order.index("y") + 1)
            # `1/1/26` is 2026; a year written with four digits is that year, even 0001.
            year = parts["y"] + 2000 if len(year_written) == 2 else parts["y"]
            try:
                return date(year, parts["m"], parts["d"])
            except ValueError:
                raise UsageError(f"`{raw}` is not a real date. {help_}") from None
    if raw.lower() == "today":
        return today
    if re.fullmatch(r"[\d\s/.\-]+", raw):
        raise UsageError(f"`{raw}` is not a date I can read. {help_}")
    base = datetime.combine(today, time(12, 0))
    try:
        parsed = dateparser.parse(
            raw,
            languages=["en"],
            settings={
                "DATE_ORDER": "DMY",
                "PREFER_DATES_FROM": "future",
                "RELATIVE_BASE": base,
                "RETURN_AS_TIMEZONE_AWARE": False,
                "PREFER_DAY_OF_MONTH": "first",
                "REQUIRE_PARTS": ["day"] if not _is_relative(raw) else [],
            },
        )
    except (OverflowError, ValueError):  # `in 900000 days`
        parsed = None
    if parsed is None:
        raise UsageError(f"`{raw}` is not a date I can read. {help_}")
    result = parsed.date()
    if not _is_relative(raw) and not re.search(r"\d{4}", raw):
        # No year written: the next such day on or after today ("25 November" on
        # 25 November is today, not next year; "the 5th" on the 25th is next month's).
        if result > today and result.year > today.year:
            try:
                this_year = result.replace(year=today.year)
            except ValueError:  # 29 February
                this_year = None
            if this_year is not None and this_year >= today:
                result = this_year
        elif result < today:
            month = result.month % 12 + 1
            year = result.year + (result.month == 12)
            try:
                result = result.replace(year=year, month=month)
            except ValueError:
                raise UsageError(f"`{raw}` is not a date I can read. {help_}") from None
    return result


def _is_relative(raw: str) -> bool:
    return bool(
        re.search(
            r"\b(today|tomorrow|yesterday|next|last|this|in|ago|week|weeks|month|months|day|days|"
            r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
            raw,
            re.IGNORECASE,
        )
    )


def parse_time(text: str) -> time:
    m = TIME.match(text.strip())
    if not m:
        raise UsageError(f"`{text}` is not a time. Write it as 10:00 or 2pm.")
    hour, minute, ampm = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    if ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        raise UsageError(f"`{text}` is not a time. Write it as 10:00 or 2pm.")
    return time(hour, minute)
