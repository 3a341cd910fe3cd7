"""Review before the panel: the leads decide, for each candidate paragraph of progress since
the last panel, to include it as said, edit it into the paper's wording, or leave it out; the
draft prints what was reviewed and marks the rest for the author.

A candidate is what a person said (an owner's note or evidence, as `progress.what_was_said`
reads it) in the paper's window: after the last panel, up to this one. The tracker's own
events written as sentences ("R2.2 was verified by …") are facts, printed as they are, and
not candidates. A note kept against the personal-data check is a candidate too, but it is
never printed as written, reviewed or not: it is listed to the lead at review, to rewrite
into paper wording or leave out; until then the draft only says that one is held back.

`build_paper` places each history row through a `PanelReview` (models.paper.placing, one query
for the decisions); `review_for` builds the draft as `report` does to list the candidates;
`apply_review` records decisions (models.service.review), checking each is a candidate of
that panel's draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, select

from models.errors import NotFound, UsageError
from models.paper.build import build_paper
from models.paper.placing import UNREVIEWED, Candidate, PanelReview
from models.service.access import require_lead
from models.service.review import decide, parse_choice
from models.tables import Inspection, PanelMeeting, ReviewChoice, Source, Update


@dataclass
class Review:
    """A panel's draft as the leads review it: its candidates, by recommendation."""

    panel_id: int
    inspection: str  # its code
    panel_day: date
    paper_ref: str | None
    since: date | None  # the last panel
    candidates: list[Candidate] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # item ref (R2, AFI3) → title, in order

    def by_rec(self) -> dict[str, list[Candidate]]:
        out: dict[int, list[Candidate]] = {}
        place = {ref: i for i, ref in enumerate(self.titles)}
        for c in sorted(self.candidates, key=lambda c: place.get(c.rec, len(place))):
            out.setdefault(c.rec, []).append(c)
        return out

    def of(self, rec: str) -> list[Candidate]:
        return [c for c in self.candidates if c.rec == rec]

    @property
    def unreviewed(self) -> list[Candidate]:
        return [c for c in self.candidates if c.choice is None]


def review_for(
    session: Session,
    *,
    actor: str,
    today: date,
    now: datetime,
    panel: date | None = None,
    inspection: str | None = None,
) -> Review:
    """The candidates of the draft for the panel on `panel` (default: the next one), with
    the decisions made so far. Leads only: it lists notes kept against the check."""
    require_lead(session, actor, "review the paper")
    collected = PanelReview()
    paper = build_paper(
        session, today=today, now=now, panel=panel, inspection=inspection, review=collected
    )
    meeting = session.exec(
        select(PanelMeeting)
        .join(Inspection, Inspection.id == PanelMeeting.inspection_id)
        .where(
            Inspection.code == paper.inspection_code,
            PanelMeeting.day == paper.panel_day,
            PanelMeeting.cancelled == False,  # noqa: E712
        )
    ).first()
    assert meeting is not None  # build_paper just drew the paper for it
    return Review(
        panel_id=meeting.id,
        inspection=paper.inspection_code,
        panel_day=paper.panel_day,
        paper_ref=paper.paper_ref,
        since=paper.since,
        candidates=collected.candidates,
        titles={s.rec.ref: s.rec.title for s in paper.sections},
    )


def review_of_panel(
    session: Session, *, actor: str, panel_id: int, today: date, now: datetime
) -> Review:
    """`review_for` the panel meeting with this id (what a button or form carries)."""
    require_lead(session, actor, "review the paper")  # before saying whether it exists
    meeting = session.get(PanelMeeting, panel_id)
    if meeting is None or meeting.cancelled:
        raise NotFound("That panel meeting is no longer on the tracker: `/ncpi panel` lists them.")
    code = session.get(Inspection, meeting.inspection_id).code
    return review_for(
        session, actor=actor, today=today, now=now, panel=meeting.day, inspection=code
    )


@dataclass(frozen=True)
class Choice:
    """One decision as a lead gave it: the candidate's history row, include / edit / leave
    out, and the wording (read only for an edit)."""

    update_id: int
    choice: str
    wording: str | None = None


def apply_review(
    session: Session,
    *,
    actor: str,
    panel_id: int,
    choices: Sequence[Choice],
    today: date,
    now: datetime,
    source: Source,
) -> tuple[Review, int]:
    """Record a lead's decisions on candidates of this panel's draft; returns the review
    and how many decisions changed. A row that is not one of its candidates is refused."""
    review = review_of_panel(session, actor=actor, panel_id=panel_id, today=today, now=now)
    by_id = {c.update_id: c for c in review.candidates}
    changed = 0
    for ch in choices:
        c = by_id.get(ch.update_id)
        if c is None:
            raise UsageError(
                "That paragraph is not in this panel's draft any more: open the review again."
            )
        update = session.get(Update, ch.update_id)
        made = decide(
            session,
            update=update,
            choice=parse_choice(ch.choice),
            wording=ch.wording,
            shown=c.shown,
            panel_id=panel_id,
            actor=actor,
            now=now,
            source=source,
        )
        if made is not None:
            changed += 1
            c.choice, c.wording, c.reviewed_by = ReviewChoice(made.choice), made.wording, actor
    return review, changed


__all__ = [
    "UNREVIEWED",
    "Candidate",
    "Choice",
    "PanelReview",
    "Review",
    "apply_review",
    "review_for",
    "review_of_panel",
]
