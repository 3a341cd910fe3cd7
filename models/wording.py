"""Small wording helpers shared by the planner's reasons and the Slack views."""

from __future__ import annotations


def plural(n: int, word: str) -> str:
    """`plural(1, "day")` → "1 day"; `plural(3, "day")` → "3 days"."""
    return f"{n} {word}{'' if n == 1 else 's'}"
