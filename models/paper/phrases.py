"""The paper's small phrases: its day formats and the counted clauses that must agree with
their numbers ("1 recommendation has", "2 recommendations have"), from models.wording."""

from __future__ import annotations

from datetime import date

from models.kinds import counted, noun, only_recommendations
from models.wording import verb


def long_day(d: date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else "date to be confirmed"


def short_day(d: date | None) -> str:
    return f"{d.day} {d:%b %Y}" if d else "no date"


def standing(n: int, done: int, left: int, *, kinds: list[str] | None = None) -> str:
    """E.g. "6 of the 10 recommendations have been signed off; 4 remain outstanding";
    with `kinds` holding more than recommendations, "0 of the 1 cause of concern, 2
    recommendations and 2 areas for improvement have been …"."""
    mixed = kinds is not None and not only_recommendations(kinds)
    if n == 1:
        what = noun(kinds[0]) if mixed else "recommendation"
        return f"The {what} {'has been signed off' if done else 'remains outstanding'}"
    of = counted(kinds) if mixed else f"{n} recommendations"
    return (
        f"{done} of the {of} {verb(done, 'has', 'have')} been signed off; "
        f"{left} {verb(left, 'remains', 'remain')} outstanding"
    )
