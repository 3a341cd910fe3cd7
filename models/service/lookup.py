"""Finding inspections, recommendations, actions and members by what people type.

Write paths look up the row they change with `for_update=True`. On PostgreSQL that is
`SELECT … FOR NO KEY UPDATE`: a second writer of the same row waits until the first
commits, then reads the row as committed, so concurrent changes take turns instead of
overwriting each other (lost evidence, a history "before" that is not the previous
"after"). NO KEY UPDATE rather than FOR UPDATE, because nothing here changes a key: other
transactions may still insert history rows that point at the row without waiting. On
SQLite the clause is not emitted and not needed: every write transaction opens with
`BEGIN IMMEDIATE` (models/db.py), so writers already take turns.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import func
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from models.db import describe_url
from models.errors import ChangedMeanwhile, NotFound, SeveralInspections, UsageError
from models.kinds import NOUN, NOUNS, item_ref
from models.kinds import action_ref as written_action_ref
from models.parsing import Ref, parse_ref, qualified
from models.tables import (
    Action,
    Inspection,
    Member,
    Recommendation,
    Status,
)

T = TypeVar("T")
# PostgreSQL's answers when a row lock cannot be had: lock_not_available (a lock_timeout),
# deadlock_detected, serialization_failure. The change is refused whole; trying again works.
LOCK_REFUSED = {"55P03", "40P01", "40001"}


def get_inspection(session: Session, *, code: str | None = None) -> Inspection:
    """The named inspection, or the only one. Several and none named: say which exist."""
    if code:
        found = session.exec(
            select(Inspection).where(func.lower(Inspection.code) == code.lower())
        ).first()
        if found is None:
            raise NotFound(
                f"There is no inspection {code} in the database {_where(session)}. "
                + _inspection_list(session)
            )
        return found
    rows = session.exec(select(Inspection).order_by(Inspection.id)).all()
    if not rows:
        raise NotFound(
            f"No inspection is set up yet in the database {_where(session)}. A lead can run "
            "`ncpi-bot import FILE.xlsx`, or `ncpi-bot load-sample` to try the sample tracker."
        )
    if len(rows) > 1:
        first = rows[0].code
        raise SeveralInspections(
            f"Several inspections are tracked ({', '.join(r.code for r in rows)}); say which: "
            f"{first}:R2.1 for an action, {first}:R2 for a recommendation, {first} for the "
            "whole inspection.",
            [r.code for r in rows],
        )
    return rows[0]


def tracked_codes(session: Session) -> list[str]:
    """Every tracked inspection's code, oldest first."""
    return list(session.exec(select(Inspection.code).order_by(Inspection.id)).all())


def several_inspections(session: Session) -> bool:
    """Whether more than one inspection is tracked: then a ref is only understood with its
    inspection's code (`NCPI:R2.1`), so every ref the tracker shows carries it."""
    return session.exec(select(func.count()).select_from(Inspection)).one() > 1


def inspection_code(session: Session, code: str) -> str | None:
    """The tracked inspection's code as stored, if `code` (any case) names one."""
    return session.exec(
        select(Inspection.code).where(func.lower(Inspection.code) == code.lower())
    ).first()


def _inspection_list(session: Session) -> str:
    codes = session.exec(select(Inspection.code).order_by(Inspection.code)).all()
    return f"Inspections there: {', '.join(codes)}." if codes else "No inspection is set up yet."


def _where(session: Session) -> str:
    """The database this session reads, so a missing inspection names where it looked."""
    return describe_url(session.get_bind().url)


def _first(session: Session, query: SelectOfScalar[T], *, for_update: bool, shown: str) -> T | None:
    """The first row of `query`; with `for_update`, locked until the transaction ends and
    read fresh (an object this session loaded earlier is refreshed, not reused stale)."""
    if not for_update:
        return session.exec(query).first()
    query = query.with_for_update(key_share=True).execution_options(populate_existing=True)
    try:
        return session.exec(query).first()
    except DBAPIError as e:
        if getattr(e.orig, "sqlstate", None) in LOCK_REFUSED:
            raise ChangedMeanwhile(
                f"{shown} changed meanwhile, so nothing was saved; try again."
            ) from None
        raise


def get_recommendation(
    session: Session,
    *,
    ref: str | Ref,
    inspection: str | None = None,
    for_update: bool = False,
) -> Recommendation:
    """`for_update`: the caller is about to change it (or add to it); see the module note."""
    r = ref if isinstance(ref, Ref) else parse_ref(ref, want="recommendation")
    insp = get_inspection(session, code=r.inspection or inspection)
    rec = _first(
        session,
        select(Recommendation).where(
            Recommendation.inspection_id == insp.id,
            Recommendation.kind == r.kind,
            Recommendation.number == r.rec,
        ),
        for_update=for_update,
        shown=r.item,
    )
    if rec is None:
        numbers = session.exec(
            select(Recommendation.number)
            .where(Recommendation.inspection_id == insp.id, Recommendation.kind == r.kind)
            .order_by(Recommendation.number)
        ).all()
        if not numbers:
            has = f"no {NOUNS[r.kind]} yet"
        elif numbers == list(range(1, len(numbers) + 1)):
            has = f"{item_ref(r.kind, 1)} to {item_ref(r.kind, numbers[-1])}"
        else:
            has = ", ".join(item_ref(r.kind, n) for n in numbers)
        raise NotFound(f"There is no {NOUN[r.kind]} {r.item}; {insp.code} has {has}.")
    return rec


def get_action(
    session: Session,
    *,
    ref: str | Ref,
    inspection: str | None = None,
    for_update: bool = False,
    open_only: bool = False,
) -> Action:
    """`for_update`: the caller is about to change it; see the module note. `open_only`: the
    change is one a withdrawn action does not take (it takes none until a lead reinstates it)."""
    r = ref if isinstance(ref, Ref) else parse_ref(ref, want="action")
    if not r.is_action:
        raise UsageError(f"{r} is a recommendation; name one of its actions, e.g. {r}.1.")
    rec = get_recommendation(
        session, ref=Ref(r.rec, inspection=r.inspection, kind=r.kind), inspection=inspection
    )
    action = _first(
        session,
        select(Action).where(Action.recommendation_id == rec.id, Action.number == r.action),
        for_update=for_update,
        shown=f"{rec.ref}.{r.action}",
    )
    if action is None:
        numbers = session.exec(
            select(Action.number).where(Action.recommendation_id == rec.id).order_by(Action.number)
        ).all()
        code = (
            session.get(Inspection, rec.inspection_id).code
            if several_inspections(session)
            else None
        )
        have = ", ".join(qualified(f"{rec.ref}.{n}", code) for n in numbers) or "none yet"
        raise NotFound(
            f"There is no action {qualified(r, code)}. {qualified(rec.ref, code)} has: {have}."
        )
    if open_only and action.status == Status.WITHDRAWN:
        shown = action_ref(session, action)
        raise UsageError(
            f"{shown} has been withdrawn, so it takes no more updates. "
            f"A lead can bring it back with `reinstate {shown}`."
        )
    return action


def action_ref(session: Session, action: Action) -> str:
    """The action's ref as people write it back: `R2.1`, or `NCPI:R2.1` when several
    inspections are tracked (so every message quoting it names one the bot accepts)."""
    rec = session.get(Recommendation, action.recommendation_id)
    ref = written_action_ref(rec.kind, rec.number, action.number)
    if not several_inspections(session):
        return ref
    return qualified(ref, session.get(Inspection, rec.inspection_id).code)


def get_member(session: Session, user_id: str) -> Member | None:
    return session.get(Member, user_id)


def inspection_id_for(session: Session, action: Action) -> int:
    return session.get(Recommendation, action.recommendation_id).inspection_id
