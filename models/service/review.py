"""A lead's review of the draft paper before a panel: for each candidate paragraph of progress
(what a person said since the last panel), include it as said, edit it into the paper's
wording, or leave it out.

A decision is keyed by the history row the candidate comes from (`ReviewDecision.update_id`),
so it is made once and holds for every later draft, whatever restarts in between. Editing
stores the paper's wording only: the note in history is never touched. Each decision is also a
history row on the recommendation (field `review`: the earlier choice before, the new one
after, the paper wording as its note), so history records who reviewed, when, and what.

Which history rows are candidates, and for which panel, is the paper's to say
(models.paper.review); this module keeps the decisions.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from models.calendar import add_working_days
from models.errors import UsageError
from models.guardrail import personal_data_findings
from models.service.access import require_lead
from models.service.audit import record, said_words
from models.service.narrative import check_paragraph
from models.tables import Inspection, PanelMeeting, ReviewChoice, ReviewDecision, Source, Update

REVIEW_FIELD = "review"  # the history rows a review writes


def kept_against_check(u: Update) -> bool:
    """A note its author kept although the personal-data check held it back."""
    words = said_words(u)
    return bool(words and personal_data_findings(words))


def decisions(session: Session, *, update_ids: list[int]) -> dict[int, ReviewDecision]:
    """The decisions made on these history rows, by row id (one query per 5,000 ids)."""
    out: dict[int, ReviewDecision] = {}
    for k in range(0, len(update_ids), 5000):
        chunk = update_ids[k : k + 5000]
        for d in session.exec(
            select(ReviewDecision).where(col(ReviewDecision.update_id).in_(chunk))
        ).all():
            out[d.update_id] = d
    return out


def parse_choice(text: str | None) -> ReviewChoice:
    words = (text or "").strip().lower().replace("-", " ").replace("_", " ")
    for c in ReviewChoice:
        if words in (c.value, c.label) or (c == ReviewChoice.LEAVE_OUT and words == "omit"):
            return c
    raise UsageError("Choose include, edit or leave out.")


def decide(
    session: Session,
    *,
    update: Update,
    choice: ReviewChoice,
    wording: str | None,
    shown: str,
    panel_id: int | None,
    actor: str,
    now: datetime,
    source: Source,
) -> ReviewDecision | None:
    """A lead's decision on one candidate (`update`, the history row it comes from; `shown`
    names it in a refusal, e.g. "R2.1, 1 December 2026"). An edit's wording is checked as
    any paper text is (not empty, not too long, no personal data); a note kept against the
    personal-data check cannot be included as said. Returns the decision, or None when it
    is the one already made (nothing written)."""
    require_lead(session, actor, "review the paper")
    if choice == ReviewChoice.INCLUDE and kept_against_check(update):
        raise UsageError(
            f"{shown}: this note was kept against the personal-data check, so it is not "
            "printed as written: edit it into paper wording, or leave it out."
        )
    if choice == ReviewChoice.EDIT:
        try:
            wording = check_paragraph(wording or "")
        except UsageError as e:
            raise UsageError(f"{shown}: the paper wording {e.message}.") from None
    else:
        wording = None
    d = session.exec(
        select(ReviewDecision).where(ReviewDecision.update_id == update.id).with_for_update()
    ).first()
    before = None
    if d is not None:
        if (d.choice, d.wording) == (str(choice), wording):
            return None
        before = ReviewChoice(d.choice).label
    else:
        d = ReviewDecision(update_id=update.id, inspection_id=update.inspection_id)
    d.choice, d.wording, d.panel_id = str(choice), wording, panel_id
    d.reviewed_by, d.reviewed_at = actor, now
    session.add(d)
    record(
        session,
        inspection_id=update.inspection_id,
        recommendation_id=update.recommendation_id,  # not the action: a review is no update on it
        panel_id=panel_id,
        actor=actor,
        now=now,
        source=source,
        field=REVIEW_FIELD,
        before=before,
        after=f"{shown}: {choice.label}",
        note=wording,
    )
    session.flush()
    return d


def review_day(panel_day: date, review_days: int) -> date:
    """The working day the leads are asked to review: `review_days` working days before."""
    return add_working_days(panel_day, -review_days)


def reviews_due(
    session: Session, *, today: date, review_days: int
) -> list[tuple[PanelMeeting, str]]:
    """The panels whose review is open today (from their review day up to the meeting),
    with their inspection's code, soonest first."""
    rows = session.exec(
        select(PanelMeeting, Inspection.code)
        .join(Inspection, Inspection.id == PanelMeeting.inspection_id)
        .where(
            PanelMeeting.cancelled == False,  # noqa: E712
            PanelMeeting.day >= today,
            PanelMeeting.day <= today + timedelta(days=review_days * 2 + 14),
        )
        .order_by(PanelMeeting.day)
    ).all()
    out, seen = [], set()
    for p, code in rows:  # the next panel of each inspection
        if p.inspection_id not in seen and review_day(p.day, review_days) <= today:
            out.append((p, code))
        seen.add(p.inspection_id)
    return out
