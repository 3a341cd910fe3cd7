"""The paper as it reads: its sections per recommendation and the sentences the paper itself
writes (background, summary, the findings heading), from what `build` gathered.

Pure Python: no database, no Slack, no python-docx, no matplotlib.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from models.kinds import counted, headings, only_recommendations, spelled
from models.paper.phrases import long_day, standing
from models.paper.progress import Progress, Slip
from models.paper.trend import TrendPoint
from models.service import ActionView, MilestoneView, Rag, RecView
from models.tables import RecStatus
from models.wording import and_list, have_been, plural, verb

ORIGINATOR = "Chief Constable"
PANEL_NAME = "Accountability and Performance Panel"
SIGNED_OFF = "Signed off"
OUTSTANDING = "Remains outstanding"
PLACEHOLDER = "[Author to complete before submission.]"
RAG_LABEL = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green", Rag.COMPLETE: "Complete"}
RAG_COLOUR = {
    Rag.RED: "#c0392b",
    Rag.AMBER: "#e67e22",
    Rag.GREEN: "#27ae60",
    Rag.COMPLETE: "#7f8c8d",
}


def inspection_name(title: str, force: str | None) -> str:
    """The inspection's own name: the title without the force or "(re-inspection)"."""
    base = title
    if force:
        base = re.sub(rf",?\s*((for|of)\s+)?{re.escape(force)}", "", base, flags=re.I)
    return re.sub(r"\s*\(?re-inspection\)?", "", base, flags=re.I).strip(" ,")


@dataclass
class Section:
    rec: RecView
    progress: list[Progress] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)  # refs of notes kept against the check
    status_changes: dict[str, int] = field(default_factory=dict)  # status label -> count
    findings: list[str] = field(default_factory=list)  # the leads' wording, in order
    improvement: list[str] = field(default_factory=list)

    def progress_paragraphs(self) -> list[str]:
        paras = [str(p) for p in self.progress]
        if self.status_changes:
            total = sum(self.status_changes.values())
            parts = and_list([f"{n} to {label}" for label, n in self.status_changes.items()])
            paras.append(f"{plural(total, 'other status change')} recorded: {parts}.")
        if self.withheld:
            refs = and_list(sorted(set(self.withheld)))
            paras.append(
                f"[Author: {plural(len(self.withheld), 'note')} on {refs} kept against the "
                "personal-data check left out of this draft; put what is needed in paper wording.]"
            )
        return paras

    @property
    def status_label(self) -> str:
        return SIGNED_OFF if self.rec.status == RecStatus.SIGNED_OFF else OUTSTANDING

    @property
    def open_actions(self) -> list[ActionView]:
        return self.rec.open_actions

    @property
    def heading(self) -> str:
        return f"{spelled(self.rec.kind, self.rec.number)} – {self.status_label}"


@dataclass
class Paper:
    originator: str
    paper_ref: str | None
    panel_title: str
    panel_day: date
    since: date | None  # the last panel before this one
    today: date
    as_at: date  # the day the statuses and counts are as at: today, or a past panel's day
    now: datetime
    inspection_code: str
    inspection_title: str
    inspectorate: str
    force: str | None
    fieldwork_start: date | None
    fieldwork_end: date | None
    published: date | None
    reinspected: date | None
    sections: list[Section]
    verified: list[tuple[str, str]] = field(default_factory=list)  # (ref, title)
    signed_off_now: list[tuple[str, str]] = field(default_factory=list)  # (named, title)
    slipped: list[Slip] = field(default_factory=list)
    board: str | None = None  # who keeps the tracker (NCPI_BOARD_NAME)
    milestones: list[MilestoneView] = field(default_factory=list)
    closing: dict[str, list[str]] = field(default_factory=dict)  # section -> paragraphs
    trend: list[TrendPoint] = field(default_factory=list)  # each panel so far, oldest first

    @property
    def findings_subheading(self) -> str:
        """AP23/07: "Findings of the HMICFRS re-inspection and the Constabulary's response to
        continued recommendations"."""
        visit = "re-inspection" if self.reinspected else "inspection"
        force = self.force or ""
        whose = "the Constabulary's" if "constabulary" in force.lower() else "the force's"
        return (
            f"Findings of the {self.inspectorate} {visit} and {whose} response to continued "
            "recommendations"
        )

    @property
    def inspection_name(self) -> str:
        return inspection_name(self.inspection_title, self.force)

    @property
    def subject(self) -> str:
        """AP23/07's form: "… the National Child Protection Inspection (NCPI) re-inspection
        report for Suffolk Constabulary"."""
        base = self.inspection_name
        again = self.reinspected is not None or "re-inspection" in self.inspection_title.lower()
        kind = "re-inspection report" if again else "report"
        force = f" for {self.force}" if self.force else ""
        return (
            f"Update in response to recommendations contained within the {base}"
            f" ({self.inspection_code}) {kind}{force}"
        )

    def grouped(self) -> list[tuple[str | None, Section]]:
        """Each section with the kind's heading ("Areas for improvement") beside the first
        of its kind, when the paper holds more than recommendations; otherwise None."""
        kinds = [s.rec.kind for s in self.sections]
        return list(zip(headings(kinds), self.sections, strict=True))

    @property
    def signed_off(self) -> list[Section]:
        return [s for s in self.sections if s.rec.status == RecStatus.SIGNED_OFF]

    @property
    def outstanding(self) -> list[Section]:
        return [s for s in self.sections if s.rec.status != RecStatus.SIGNED_OFF]

    def rag_table(self) -> list[tuple[str, dict[str, int]]]:
        """Per recommendation, all its actions by RAG (verified ones count as complete;
        withdrawn ones not at all)."""
        rows = []
        for s in self.sections:
            counts = dict.fromkeys(Rag.ORDER, 0)
            for a in s.rec.actions:
                if a.rag in counts:  # a withdrawn action is in no RAG count
                    counts[a.rag] += 1
            rows.append((s.rec.ref, counts))
        return rows

    def background_paragraphs(self) -> list[str]:
        """The opening SUMMARY: the inspection and the re-inspection."""
        who = self.inspectorate
        paras = []
        if self.fieldwork_start:
            span = (
                f"between {long_day(self.fieldwork_start)} and {long_day(self.fieldwork_end)}"
                if self.fieldwork_end
                else f"from {long_day(self.fieldwork_start)}"
            )
            of = f" of {self.force}" if self.force else ""
            paras.append(
                f"{who} completed the {self.inspection_name} ({self.inspection_code}){of} {span}."
            )
        if self.published:
            paras.append(f"{who} published its findings on {long_day(self.published)}.")
        if self.reinspected:
            paras.append(
                f"{who} returned for a post-inspection review in {self.reinspected:%B %Y}."
            )
        dated = [m for m in self.milestones if m.day is not None]
        if dated:
            paras.append(
                "Milestones: "
                + "; ".join(f"{m.label}, {long_day(m.day)} ({m.basis})" for m in dated)
                + "."
            )
        paras.append(
            "The purpose of this report is to outline the progress made against the "
            f"recommendations and {self.force or 'the force'}'s response to them."
        )
        return paras

    def summary_paragraphs(self) -> list[str]:
        """Section 2: where the recommendations and their actions stand."""
        paras = []
        n, done, left = len(self.sections), len(self.signed_off), len(self.outstanding)
        kinds = [s.rec.kind for s in self.sections]
        if only_recommendations(kinds):
            which = [str(s.rec.number) for s in self.outstanding]
            word = "Recommendation" if len(which) == 1 else "Recommendations"
        else:
            which, word = [s.rec.ref for s in self.outstanding], ""
        named = f" ({f'{word} ' if word else ''}{and_list(which)})" if which else ""
        if n == 1:
            paras.append(f"{standing(n, done, left, kinds=kinds)}{named}.")
        else:
            paras.append(
                f"Of the {counted(kinds)}, {done} {verb(done, 'has', 'have')} been signed off and "
                f"{left} {verb(left, 'remains', 'remain')} outstanding{named}."
            )
        late = [s.rec for s in self.sections if s.rec.past_target(self.today)]
        if late:
            items = and_list([f"{spelled(r.kind, r.number)} ({long_day(r.target)})" for r in late])
            paras.append(
                f"Past the target date its timescale set, with actions still open: {items}."
            )
        open_actions = [a for s in self.sections for a in s.open_actions]
        red = sum(1 for a in open_actions if a.rag == Rag.RED)
        amber = sum(1 for a in open_actions if a.rag == Rag.AMBER)
        green = sum(1 for a in open_actions if a.rag == Rag.GREEN)
        paras.append(
            f"As at {long_day(self.as_at)} there {'is' if len(open_actions) == 1 else 'are'} "
            f"{plural(len(open_actions), 'open action')}: "
            f"{red} red, {amber} amber and {green} green."
        )
        since = f"the last panel on {long_day(self.since)}" if self.since else "the tracker began"
        if self.verified:
            items = and_list([f"{ref} ({title})" for ref, title in self.verified])
            paras.append(f"Since {since}, a lead has verified the evidence for {items}.")
        else:
            paras.append(f"No action has been verified as complete since {since}.")
        if self.signed_off_now:
            once = dict(self.signed_off_now)  # signed off, reopened and signed off again: once
            items = [f"{n} ({t})" for n, t in once.items()]
            paras.append(f"Since {since}, {have_been(items, 'signed off')}.")
        for s in self.slipped:
            moved = f"from {long_day(s.before)} " if s.before else ""
            reason = f"; the reason given: {s.reason}" if s.reason else "; no reason was given"
            paras.append(f"The due date of {s.ref} moved {moved}to {long_day(s.after)}{reason}.")
        return paras

    @property
    def findings_heading(self) -> str:
        base = self.subject.split("contained within the ", 1)[-1]
        base = base.split(" report", 1)[0].replace(" re-inspection", "")
        kind = (
            "re-inspection findings" if self.reinspected else "progress against the recommendations"
        )
        return f"1. {self.inspectorate} {base} {kind}".upper()

    def recommendation_to_panel(self) -> list[str]:
        return [
            "The Police and Crime Commissioner (PCC) is asked to consider the progress made by "
            f"{self.force or 'the force'}, and raise issues with the Chief Constable as appropriate to the "
            "PCC's role in holding the Chief Constable to account."
        ]

    def intro_paragraphs(self) -> list[str]:
        n = len(self.sections)
        kinds = [s.rec.kind for s in self.sections]
        items = plural(n, "recommendation") if only_recommendations(kinds) else counted(kinds)
        done, left = len(self.signed_off), len(self.outstanding)
        return [
            f"The following updates report progress since {self._since_text()} against the "
            f"{items}, drawn from the action tracker"
            + (f" kept by the {self.board}." if self.board else "."),
            f"{standing(n, done, left, kinds=kinds)}. The chart below shows "
            f"each {'recommendation' if only_recommendations(kinds) else 'item'}'s actions by "
            "RAG status.",
        ]

    def _since_text(self) -> str:
        return f"the last panel on {long_day(self.since)}" if self.since else "the inspection"
