"""Gathering the paper: everything from the tracker, in a fixed number of queries, into a `Paper`
(`models.paper.document`).

Pure Python: no Slack, no python-docx, no matplotlib. Note text goes into the paper, never into logs.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from models.errors import NotFound, UsageError
from models.guardrail import personal_data_findings
from models.kinds import spelled
from models.paper.document import ORIGINATOR, PANEL_NAME, Paper, Section
from models.paper.placing import PanelReview
from models.paper.progress import Slip, label, mentioned
from models.paper.trend import panel_trend
from models.service import get_inspection, summary
from models.service.asof import summary_as_it_stood
from models.service.audit import said_words
from models.service.narrative import stored
from models.tables import (
    Action,
    Inspection,
    Member,
    PanelMeeting,
    PaperSection,
    Recommendation,
    RecStatus,
    Source,
    Status,
    Update,
)
from models.timescales import IMMEDIATELY_DAYS


def build_paper(
    session: Session,
    *,
    today: date,
    now: datetime,
    panel: date | None = None,
    inspection: str | None = None,
    originator: str = ORIGINATOR,
    board: str | None = None,
    immediately_days: int = IMMEDIATELY_DAYS,
    review: PanelReview | None = None,
) -> Paper:
    """The paper for the panel on `panel` (default: the next one), in a fixed number of queries.
    For a panel on a day before `today`, the tracker as it stood when that panel sat.
    Progress is placed as the leads reviewed it (models.paper.placing; `review` collects the
    candidates for the review itself)."""
    insp: Inspection = get_inspection(session, code=inspection)
    panels = session.exec(
        select(PanelMeeting)
        .where(PanelMeeting.inspection_id == insp.id, PanelMeeting.cancelled == False)  # noqa: E712
        .order_by(PanelMeeting.day)
    ).all()
    target = _pick_panel(panels, panel=panel, today=today)
    previous = [p for p in panels if p.day < target.day]
    last = previous[-1] if previous else None
    start = last.starts_at if last else None
    end = min(now, target.starts_at)
    past = target.day < today
    if past:
        s = summary_as_it_stood(session, at=end, day=target.day, inspection=insp.code)
    else:
        s = summary(session, today=today, inspection=insp.code, immediately_days=immediately_days)

    q = (
        select(Update, Recommendation.kind, Recommendation.number, Action.number, Action.title)
        .outerjoin(Recommendation, Recommendation.id == Update.recommendation_id)
        .outerjoin(Action, Action.id == Update.action_id)
        .where(Update.inspection_id == insp.id, Update.at <= end)
        .order_by(Update.at, Update.id)
    )
    if start is not None:
        q = q.where(Update.at > start)
    rows = session.exec(q).all()
    actors = {u.actor for u, *_ in rows} | mentioned([said_words(u) for u, *_ in rows])
    members = (
        {
            m.user_id: m
            for m in session.exec(select(Member).where(col(Member.user_id).in_(actors))).all()
        }
        if actors
        else {}
    )

    sections = {(r.kind, r.number): Section(rec=r) for r in s.recs}
    paper = Paper(
        originator=originator,
        paper_ref=target.paper_ref,
        panel_title=target.title or PANEL_NAME,
        panel_day=target.day,
        since=last.day if last else None,
        today=today,
        as_at=target.day if past else today,
        now=now,
        inspection_code=insp.code,
        inspection_title=insp.title,
        inspectorate=insp.inspectorate,
        force=insp.force,
        fieldwork_start=insp.fieldwork_start,
        fieldwork_end=insp.fieldwork_end,
        published=insp.published,
        reinspected=insp.reinspected,
        sections=list(sections.values()),
        board=board,
        milestones=s.milestones,
        trend=panel_trend(
            session, panels=list(panels), target=target, stated=s, now=now, inspection=insp.code
        ),
    )
    rec_ids = {
        i: (k, n)
        for i, k, n in session.exec(
            select(Recommendation.id, Recommendation.kind, Recommendation.number).where(
                Recommendation.inspection_id == insp.id
            )
        ).all()
    }
    for (rec_id, section_key), paras in stored(session, inspection_id=insp.id).items():
        texts = [p.text for p in paras]
        if rec_id is None:
            paper.closing[section_key] = texts
            continue
        section = sections.get(rec_ids.get(rec_id))
        if section is None:
            continue
        if section_key == PaperSection.FINDINGS:
            section.findings = texts
        elif section_key == PaperSection.IMPROVEMENT:
            section.improvement = texts
    review = (review or PanelReview()).load(session, [u for u, *_ in rows])
    # An action's first status is where it started (an import adds work already at risk),
    # not a change: it is written with the action, in the same instant.
    created = {u.action_id: u.at for u, *_ in rows if u.field == "created" and u.action_id}
    for u, rec_kind, rec_no, action_no, action_title in rows:
        if rec_no is None or (rec_kind, rec_no) not in sections:
            continue  # panel meetings, leave: not progress on a recommendation
        section = sections[(rec_kind, rec_no)]
        ref = section.rec.ref + (f".{action_no}" if action_no is not None else "")
        review.place(section, u, ref, members)
        told = (Status.VERIFIED, Status.IMPLEMENTED, Status.WITHDRAWN)  # each said in words
        if (
            u.field == "status"
            and u.after not in told
            and u.before != Status.WITHDRAWN
            and created.get(u.action_id) != u.at
        ):
            section.status_changes[label(u.after)] = (
                section.status_changes.get(label(u.after), 0) + 1
            )
        if u.field == "status" and u.after == Status.VERIFIED:
            paper.verified.append((ref, action_title or ""))
        elif (
            u.field == "rec_status"
            and u.after == RecStatus.SIGNED_OFF
            and u.source != Source.IMPORT  # a workbook's status, not a sign-off since
        ):
            if section.rec.status == RecStatus.SIGNED_OFF:  # not if reopened since
                paper.signed_off_now.append((spelled(rec_kind, rec_no), section.rec.title))
        elif u.field == "due" and u.before and u.after and u.after > u.before:
            paper.slipped.append(
                Slip(
                    ref=ref,
                    before=date.fromisoformat(u.before),
                    after=date.fromisoformat(u.after),
                    reason=None if personal_data_findings(u.note) else u.note,
                )
            )
    return paper


def _pick_panel(panels: list[PanelMeeting], *, panel: date | None, today: date) -> PanelMeeting:
    if panel is not None:
        for p in panels:
            if p.day == panel:
                return p
        have = ", ".join(f"{p.day:%d/%m/%Y}" for p in panels) or "none"
        raise NotFound(f"There is no panel meeting on {panel:%d/%m/%Y}. Panel meetings: {have}.")
    for p in panels:
        if p.day >= today:
            return p
    raise UsageError(
        "No panel meeting is coming up. Add one with `/ncpi panel add <date> [time] [ref]`, "
        "or name a past one with --panel DATE."
    )
