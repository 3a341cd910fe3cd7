"""The paper's small phrases: its day formats and the counted clauses that must agree with
their numbers ("1 recommendation has", "2 recommendations have"), from models.wording."""

from __future__ import annotations

from datetime import date

from models.wording import verb


def long_day(d: date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else "date to be confirmed"


def short_day(d: date | None) -> str:
    return f"{d.day} {d:%b %Y}" if d else "no date"


def standing(n: int, done: int, left: int) -> str:
    """E.g. "6 of the 10 recommendations have been signed off; 4 remain outstanding"."""
    if n == 1:
        return f"The recommendation {'has been signed off' if done else 'remains outstanding'}"
    return (
        f"{done} of the {n} recommendations {verb(done, 'has', 'have')} been signed off; "
        f"{left} {verb(left, 'remains', 'remain')} outstanding"
    )
