"""Parsing shared by every front end: refs, mentions, statuses, dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

import dateparser

from models.errors import UsageError
from models.tables import Status

# `R2`, `r2.1`, `2.1`; with several inspections tracked, `NCPI:R2.1` names one.
REF = re.compile(r"^(?:([A-Z][A-Z0-9_-]{0,39}):)?r?(\d{1,3})(?:\.(\d{1,3}))?$", re.IGNORECASE)
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
BARE_USER = re.compile(r"^@?([UW][A-Z0-9]{6,})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
UK_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$")
TIME = re.compile(r"^(\d{1,2})(?::|\.)?(\d{2})?\s*(am|pm)?$", re.IGNORECASE)

DATE_HELP = "Write dates as 2025-03-01, 01/03/2025 (day first), 1 March, tomorrow, next friday or in 2 weeks."


@dataclass(frozen=True)
class Ref:
    rec: int
    action: int | None = None
    inspection: str | None = None  # only when written, e.g. `NCPI:R2.1`

    @property
    def is_action(self) -> bool:
        return self.action is not None

    def __str__(self) -> str:
        return f"R{self.rec}" if self.action is None else f"R{self.rec}.{self.action}"


def parse_ref(text: str, *, want: str | None = None) -> Ref:
    """`R2`, `r2.1`, `2.1` → Ref. `want` is "action" or "recommendation" to insist on one."""
    m = REF.match(text.strip())
    if not m or int(m.group(2)) == 0 or (m.group(3) is not None and int(m.group(3)) == 0):
        raise UsageError(
            f"`{text.strip()}` is not a reference. Write a recommendation as R2 and an action as R2.1."
        )
    ref = Ref(int(m.group(2)), int(m.group(3)) if m.group(3) else None, m.group(1))
    if want == "action" and not ref.is_action:
        raise UsageError(f"{ref} is a recommendation; name one of its actions, e.g. {ref}.1.")
    if want == "recommendation" and ref.is_action:
        raise UsageError(f"{ref} is an action; name its recommendation, e.g. R{ref.rec}.")
    return ref


def parse_user(text: str) -> str:
    """Slack's escaped mention `<@U123|name>` or `<@U123>` (or a bare id) → user id."""
    text = text.strip()
    m = MENTION.match(text) or BARE_USER.match(text)
    if not m:
        raise UsageError(f"`{text}` is not a person. Mention them with @, e.g. owner:@jane.smith.")
    return m.group(1)


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
    """A date in the local calendar. Impossible dates are refused, never guessed."""
    raw = text.strip()
    if not raw:
        raise UsageError(f"A date is missing. {DATE_HELP}")
    for pattern, order in ((ISO_DATE, "ymd"), (UK_DATE, "dmy")):
        m = pattern.match(raw)
        if m:
            parts = dict(zip(order, (int(g) for g in m.groups()), strict=True))
            year = parts["y"] + 2000 if parts["y"] < 100 else parts["y"]
            try:
                return date(year, parts["m"], parts["d"])
            except ValueError:
                raise UsageError(f"`{raw}` is not a real date. {DATE_HELP}") from None
    if raw.lower() == "today":
        return today
    if re.fullmatch(r"[\d\s/.\-]+", raw):
        raise UsageError(f"`{raw}` is not a date I can read. {DATE_HELP}")
    base = datetime.combine(today, time(12, 0))
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
    if parsed is None:
        raise UsageError(f"`{raw}` is not a date I can read. {DATE_HELP}")
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
                raise UsageError(f"`{raw}` is not a date I can read. {DATE_HELP}") from None
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
