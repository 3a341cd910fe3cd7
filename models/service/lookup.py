"""Finding inspections, recommendations, actions and members by what people type."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from models.errors import NotFound, UsageError
from models.parsing import Ref, parse_ref
from models.tables import (
    Action,
    Inspection,
    Member,
    Recommendation,
)


def get_inspection(session: Session, *, code: str | None = None) -> Inspection:
    """The named inspection, or the only one. Several and none named: say which exist."""
    if code:
        found = session.exec(
            select(Inspection).where(func.lower(Inspection.code) == code.lower())
        ).first()
        if found is None:
            raise NotFound(f"There is no inspection {code}. {_inspection_list(session)}")
        return found
    rows = session.exec(select(Inspection).order_by(Inspection.id)).all()
    if not rows:
        raise NotFound(
            "No inspection is set up yet. A lead can run `ncpi-bot import FILE.xlsx`, "
            "or `ncpi-bot load-sample` to try the sample tracker."
        )
    if len(rows) > 1:
        first = rows[0].code
        raise UsageError(
            f"Several inspections are tracked ({', '.join(r.code for r in rows)}); say which "
            f"in the reference, e.g. {first}:R2.1 or {first}:R2."
        )
    return rows[0]


def _inspection_list(session: Session) -> str:
    codes = session.exec(select(Inspection.code).order_by(Inspection.code)).all()
    return f"Inspections: {', '.join(codes)}." if codes else "No inspection is set up yet."


def get_recommendation(
    session: Session, *, ref: str | Ref, inspection: str | None = None
) -> Recommendation:
    r = ref if isinstance(ref, Ref) else parse_ref(ref, want="recommendation")
    insp = get_inspection(session, code=r.inspection or inspection)
    rec = session.exec(
        select(Recommendation).where(
            Recommendation.inspection_id == insp.id, Recommendation.number == r.rec
        )
    ).first()
    if rec is None:
        highest = session.exec(
            select(func.max(Recommendation.number)).where(Recommendation.inspection_id == insp.id)
        ).one()
        has = f"R1 to R{highest}" if highest else "no recommendations yet"
        raise NotFound(f"There is no recommendation R{r.rec}; {insp.code} has {has}.")
    return rec


def get_action(session: Session, *, ref: str | Ref, inspection: str | None = None) -> Action:
    r = ref if isinstance(ref, Ref) else parse_ref(ref, want="action")
    if not r.is_action:
        raise UsageError(f"{r} is a recommendation; name one of its actions, e.g. {r}.1.")
    rec = get_recommendation(
        session, ref=Ref(r.rec, inspection=r.inspection), inspection=inspection
    )
    action = session.exec(
        select(Action).where(Action.recommendation_id == rec.id, Action.number == r.action)
    ).first()
    if action is None:
        numbers = session.exec(
            select(Action.number).where(Action.recommendation_id == rec.id).order_by(Action.number)
        ).all()
        have = ", ".join(f"R{rec.number}.{n}" for n in numbers) or "none yet"
        raise NotFound(f"There is no action {r}. R{rec.number} has: {have}.")
    return action


def action_ref(session: Session, action: Action) -> str:
    rec = session.get(Recommendation, action.recommendation_id)
    return f"R{rec.number}.{action.number}"


def get_member(session: Session, user_id: str) -> Member | None:
    return session.get(Member, user_id)


def inspection_id_for(session: Session, action: Action) -> int:
    return session.get(Recommendation, action.recommendation_id).inspection_id
