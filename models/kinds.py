"""The kinds of inspection item and how each is written: refs (`R2`, `AFI3`, `C1`; `R2.1`,
`AFI3.1` for their actions), nouns and headings. Every ref the tracker shows or reads is
made here, so a new kind is one line in each table below."""

from __future__ import annotations

import re

from sqlalchemy import case

from models.tables import ITEM_PREFIX, ItemKind, Recommendation

NOUN = {
    ItemKind.RECOMMENDATION: "recommendation",
    ItemKind.AFI: "area for improvement",
    ItemKind.CAUSE: "cause of concern",
}
NOUNS = {
    ItemKind.RECOMMENDATION: "recommendations",
    ItemKind.AFI: "areas for improvement",
    ItemKind.CAUSE: "causes of concern",
}
HEADING = {k: v[0].upper() + v[1:] for k, v in NOUNS.items()}
ANY_ITEM = " or ".join([", ".join(list(NOUN.values())[:-1]), list(NOUN.values())[-1]])
"""Whichever kind an action is under, in words: "recommendation, area for improvement or
cause of concern"."""
# The order HMICFRS reports list them in: causes of concern (with their recommendations),
# recommendations, then areas for improvement.
ORDER = (ItemKind.CAUSE, ItemKind.RECOMMENDATION, ItemKind.AFI)
RANK = {k: i for i, k in enumerate(ORDER)}
# `R2`, `afi3`, `C1` (and a bare `2`, a recommendation); longest prefix first.
PREFIX = r"(?P<prefix>afi|r|c)?"
_BY_PREFIX = {v.lower(): k for k, v in ITEM_PREFIX.items()}
ITEM = re.compile(rf"^{PREFIX}\s*(?P<number>\d{{1,3}})$", re.IGNORECASE)
EXAMPLES = "R2, AFI3 or C1"


def kind_of(prefix: str | None) -> ItemKind:
    """The kind a ref's prefix names (none: a recommendation)."""
    return _BY_PREFIX[prefix.lower()] if prefix else ItemKind.RECOMMENDATION


def item_ref(kind: str, number: int) -> str:
    """`item_ref("afi", 3)` → "AFI3"."""
    return f"{ITEM_PREFIX[ItemKind(kind)]}{number}"


def action_ref(kind: str, item: int, number: int) -> str:
    """`action_ref("afi", 3, 1)` → "AFI3.1"."""
    return f"{item_ref(kind, item)}.{number}"


def parse_item(text: str) -> tuple[ItemKind, int] | None:
    """`AFI3` → (AFI, 3); `2` → (RECOMMENDATION, 2); anything else → None."""
    m = ITEM.match(text.strip())
    if not m or int(m.group("number")) == 0:
        return None
    return kind_of(m.group("prefix")), int(m.group("number"))


def noun(kind: str) -> str:
    return NOUN[ItemKind(kind)]


def in_order():
    """An ORDER BY for items: kind in ORDER, then number."""
    return (
        case({k.value: i for i, k in enumerate(ORDER)}, value=Recommendation.kind, else_=9),
        Recommendation.number,
    )


HEADING_ONE = {k: v[0].upper() + v[1:] for k, v in NOUN.items()}


def spelled(kind: str, number: int) -> str:
    """How a paper names an item: "Recommendation 2", "Area for improvement 3"."""
    return f"{HEADING_ONE[ItemKind(kind)]} {number}"


def counted(kinds: list[str]) -> str:
    """`["recommendation"] * 2 + ["afi"]` → "2 recommendations and 1 area for improvement";
    no items → "0 recommendations"."""
    parts = []
    for k in ORDER:
        n = sum(1 for x in kinds if x == k)
        if n:
            parts.append(f"{n} {NOUN[k] if n == 1 else NOUNS[k]}")
    if not parts:
        return "0 recommendations"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def only_recommendations(kinds: list[str]) -> bool:
    return all(k == ItemKind.RECOMMENDATION for k in kinds)


def headings(kinds: list[str]) -> list[str | None]:
    """For items listed in ORDER, the kind's heading ("Areas for improvement") beside the
    first of each kind, None beside the rest; all None when every item is a recommendation
    (a tracker of recommendations alone reads as it always has)."""
    if only_recommendations(kinds):
        return [None] * len(kinds)
    return [
        HEADING[ItemKind(k)] if i == 0 or kinds[i - 1] != k else None for i, k in enumerate(kinds)
    ]
