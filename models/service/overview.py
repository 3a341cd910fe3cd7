"""The whole tracker, or one recommendation, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import case, func, tuple_
from sqlmodel import Session, col, select

from models.kinds import in_order
from models.parsing import parse_ref
from models.service.actionviews import panel_view, views_of
from models.service.lookup import get_inspection, get_recommendation, several_inspections
from models.service.milestones import inspection_milestones
from models.service.panels import next_panel
from models.service.readmodels import (
    HEADLINE,
    ActionView,
    Rag,
    RecView,
    Summary,
    Tally,
    headline_part,
    rag,
)
from models.tables import (
    CLOSED_STATUSES,
    Action,
    ItemKind,
    Recommendation,
    SubPoint,
)
from models.timescales import IMMEDIATELY_DAYS, safe_target


def summary(
    session: Session,
    *,
    today: date,
    inspection: str | None = None,
    rec: str | None = None,
    actions: bool = True,
    immediately_days: int = IMMEDIATELY_DAYS,
) -> Summary:
    """The whole tracker (or one recommendation) in a fixed number of queries.

    `actions=False` loads no actions (and no sub-points), only their counts per
    recommendation (aggregated in SQL) and each recommendation's longest-overdue action:
    what `/ncpi summary` shows, in time that does not grow with the tracker.

    Each recommendation's timescale is read into its target day from publication
    (`immediately_days` after it for "immediately": NCPI_IMMEDIATELY_DAYS)."""
    r = parse_ref(rec, want="recommendation") if rec else None
    insp = get_inspection(session, code=(r.inspection if r else None) or inspection)
    q = select(Recommendation).where(Recommendation.inspection_id == insp.id)
    if r:
        only = get_recommendation(session, ref=r, inspection=insp.code)
        q = q.where(Recommendation.id == only.id)
    recs = session.exec(q.order_by(*in_order())).all()
    causes = {r.id: r.ref for r in recs if r.kind == ItemKind.CAUSE}
    if any(r.cause_id and r.cause_id not in causes for r in recs):
        causes |= {
            c.id: c.ref
            for c in session.exec(
                select(Recommendation).where(
                    Recommendation.inspection_id == insp.id, Recommendation.kind == ItemKind.CAUSE
                )
            ).all()
        }
    rec_ids = [r.id for r in recs]
    subs: dict[int, list[str]] = defaultdict(list)
    for sp in (
        session.exec(
            select(SubPoint)
            .where(col(SubPoint.recommendation_id).in_(rec_ids))
            .order_by(SubPoint.position)
        ).all()
        if actions
        else ()
    ):
        subs[sp.recommendation_id].append(sp.text)
    item_of = {r.id: r for r in recs}
    by_rec: dict[int, list[ActionView]] = defaultdict(list)
    tallies: dict[int, Tally] = {}
    if actions:
        rows = session.exec(
            select(Action)
            .where(col(Action.recommendation_id).in_(rec_ids))
            .order_by(Action.recommendation_id, Action.number)
        ).all()
        views = views_of(session, [(a, item_of[a.recommendation_id]) for a in rows], today)
        for v in views:
            by_rec[v.rec_id].append(v)
    else:
        tallies = _tallies(session, item_of, today)
    panel = next_panel(session, today=today, inspection_id=insp.id)
    return Summary(
        inspection_code=insp.code,
        inspection_title=insp.title,
        today=today,
        next_panel=panel_view(panel, today) if panel else None,
        several=several_inspections(session),
        published=insp.published,
        milestones=inspection_milestones(session, inspection=insp),
        recs=[
            RecView(
                number=r.number,
                kind=r.kind,
                cause=causes.get(r.cause_id) if r.cause_id else None,
                title=r.title,
                text=r.text,
                timescale=r.timescale,
                status=r.status,
                signed_off_on=r.signed_off_on,
                sub_points=subs[r.id],
                actions=by_rec[r.id],
                tally=tallies.get(r.id),
                target=safe_target(r.timescale, insp.published, immediately_days=immediately_days),
            )
            for r in recs
        ],
    )


def _tallies(session: Session, item_of: dict[int, Recommendation], today: date) -> dict[int, Tally]:
    """Per recommendation: its open (not verified, not withdrawn) actions counted by status and lateness,
    and its longest-overdue action. One pass over the actions in SQL, then the few
    longest-overdue actions by (recommendation, due date); never a row per action."""
    rec_ids = list(item_of)
    late = col(Action.due) < today
    counted = session.exec(
        select(
            Action.recommendation_id,
            Action.status,
            func.count(),
            func.sum(case((late, 1), else_=0)),
            func.min(case((late, Action.due), else_=None)),
        )
        .where(
            col(Action.recommendation_id).in_(rec_ids),
            col(Action.status).not_in(CLOSED_STATUSES),
        )
        .group_by(Action.recommendation_id, Action.status)
    ).all()
    oldest: dict[int, date] = {}
    for rec_id, _, _, _, due in counted:
        if due is not None:
            due = due if isinstance(due, date) else date.fromisoformat(due)
            oldest[rec_id] = min(due, oldest.get(rec_id, due))
    worst: dict[int, ActionView] = {}
    if oldest:
        # Among the actions due on the oldest late date, the first by number (ties are
        # common). Asked by date, so the due-date index finds the few rows.
        firsts = [
            (r, n)
            for r, d, n in session.exec(
                select(Action.recommendation_id, Action.due, func.min(Action.number))
                .where(
                    col(Action.due).in_(set(oldest.values())),
                    col(Action.status).not_in(CLOSED_STATUSES),
                )
                .group_by(Action.recommendation_id, Action.due)
            ).all()
            if r in oldest and oldest[r] == (d if isinstance(d, date) else date.fromisoformat(d))
        ]
        # By (recommendation, number): the unique index, a row each.
        first = session.exec(
            select(Action).where(tuple_(Action.recommendation_id, Action.number).in_(firsts))
        ).all()
        views = views_of(session, [(a, item_of[a.recommendation_id]) for a in first], today)
        worst = {v.rec_id: v for v in views}
    out: dict[int, Tally] = {}
    for rec_id in item_of:
        rag_counts: dict[str, int] = defaultdict(int)
        headline = dict.fromkeys(HEADLINE, 0)
        total = overdue = 0
        for rid, status, n, n_late, _ in counted:
            if rid != rec_id:
                continue
            n_late = int(n_late or 0)
            total, overdue = total + n, overdue + n_late
            rag_counts[Rag.RED] += n_late
            headline["overdue"] += n_late
            if n - n_late:
                rag_counts[rag(status, None, today)] += n - n_late
                headline[headline_part(status, late=False)] += n - n_late
        out[rec_id] = Tally(
            open=total,
            overdue=overdue,
            rag={k: rag_counts[k] for k in Rag.ORDER if rag_counts.get(k)},
            headline=headline,
            worst_overdue=worst.get(rec_id),
        )
    return out
