"""Placing progress into the draft as the leads reviewed it (models.paper.review): each
history row `build_paper` reads goes through a `PanelReview`, which prints an event as it is,
and a candidate (what a person said) included, in the lead's wording, left out, or marked
`[Unreviewed]` for the author; a note kept against the personal-data check is never printed
as written, reviewed or not. The decisions are read in one query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from models.paper.phrases import long_day
from models.paper.progress import WITHHELD, Progress, named, what_was_said
from models.service.audit import said_words
from models.service.review import decisions
from models.tables import Member, ReviewChoice, ReviewDecision, Update

UNREVIEWED = "[Unreviewed]"  # before a candidate no lead has reviewed, for the paper's author


@dataclass
class Candidate:
    """One paragraph of progress a lead may include, edit or leave out."""

    update_id: int  # the history row it comes from: the decision's key
    rec: str  # its item's ref: R2, AFI3
    ref: str  # as the paper writes it
    who: str
    day: date
    said: (
        str  # as the paper would print it ("R2.1: …"); for a withheld note, shown to the lead only
    )
    withheld: bool  # kept against the personal-data check: never printed as written
    choice: ReviewChoice | None = None
    wording: str | None = None  # the lead's paper wording, when edited
    reviewed_by: str | None = None

    @property
    def shown(self) -> str:
        """How a refusal or the history names it: "R2.1, 1 December 2026"."""
        return f"{self.ref}, {long_day(self.day)}"

    @property
    def initial_wording(self) -> str:
        """What the wording field starts with: the lead's, else what was said (never a
        withheld note's words: those are rewritten, not copied)."""
        if self.wording:
            return self.wording
        return "" if self.withheld else self.said


class PanelReview:
    """Places one draft's history rows into its sections as the leads reviewed them, and
    keeps the candidates it met (for `review_for`)."""

    def __init__(self) -> None:
        self.decided: dict[int, ReviewDecision] = {}
        self.candidates: list[Candidate] = []

    def load(self, session: Session, updates: Sequence[Update]) -> PanelReview:
        ids = [u.id for u in updates if u.recommendation_id is not None and said_words(u)]
        self.decided = decisions(session, update_ids=ids)
        return self

    def place(
        self, section, u: Update, ref: str, members: dict[str, Member]
    ) -> None:  # a paper Section
        """One history row into `section`: an event as it is; a candidate as reviewed."""
        said = what_was_said(u, ref, members)
        if said is None:
            return
        if said is not WITHHELD and not said.said:
            section.progress.append(said)  # an event, written as a sentence: not a candidate
            return
        withheld = said is WITHHELD
        d = self.decided.get(u.id)
        choice = ReviewChoice(d.choice) if d else None
        c = Candidate(
            update_id=u.id,
            rec=section.rec.ref,
            ref=ref,
            who=named(u.actor, members) if withheld else said.who,
            day=u.at.date() if withheld else said.day,
            said=f"{ref}: {said_words(u)}" if withheld else said.text,
            withheld=withheld,
            choice=choice,
            wording=d.wording if d else None,
            reviewed_by=d.reviewed_by if d else None,
        )
        self.candidates.append(c)
        if choice == ReviewChoice.EDIT and c.wording:
            section.progress.append(Progress(c.day, c.who, c.wording))
        elif choice == ReviewChoice.LEAVE_OUT:
            return
        elif withheld:
            section.withheld.append(ref)  # listed to the lead at review; never printed
        elif choice == ReviewChoice.INCLUDE:
            section.progress.append(said)
        else:
            section.progress.append(Progress(c.day, c.who, f"{UNREVIEWED} {c.said}"))
