"""How a lead's change to one action or recommendation opens, whatever the change: only a
lead may make it, the row is found and locked until the transaction ends (see lookup's
module note), and its ref is worded as people write it back. One place, so every lead
operation refuses first in the same order and words; the note that comes with a change is
checked next, by each operation (`checks.check_note`), as it names it: a reason, a title."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, NamedTuple, TypeVar

from sqlmodel import Session

from models.service.access import require_lead
from models.service.lookup import action_ref
from models.tables import Action, Recommendation

Row = TypeVar("Row", Action, Recommendation)


class Opened(NamedTuple, Generic[Row]):
    row: Row  # locked until the transaction ends
    shown: str  # R2.1 (NCPI:R2.1 when several inspections are tracked), or R2, AFI3, C1


def open_for_lead(
    session: Session,
    find: Callable[..., Row],
    ref: str,
    inspection: str | None,
    *,
    actor: str,
    doing: str,
    open_only: bool = False,
) -> Opened[Row]:
    """`find` is `get_action` or `get_recommendation`; `doing` ends "Only a lead can …";
    `open_only`: a withdrawn action is refused (get_action's)."""
    require_lead(session, actor, doing)
    more = {"open_only": True} if open_only else {}
    row = find(session, ref=ref, inspection=inspection, for_update=True, **more)
    return Opened(row, action_ref(session, row) if isinstance(row, Action) else row.ref)
