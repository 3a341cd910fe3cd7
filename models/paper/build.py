"""Gathering the paper: everything from the tracker, in a fixed number of queries, into a `Paper`.

Pure Python: no Slack, no python-docx, no matplotlib. Note text goes into the paper, never into logs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.errors import NotFound, UsageError
from models.guardrail import personal_data_findings
from models.kinds import counted, headings, only_recommendations, spelled
from models.paper.phrases import long_day, standing
from models.paper.placing import PanelReview
from models.paper.progress import Progress, Slip, label
from models.service import (
    ActionView,
    MilestoneView,
    Rag,
    RecView,
    get_inspection,
    summary,
)
from models.service.asof import summary_as_it_stood
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
    _headings: dict[int, str | None] | None = field(default=None, repr=False)

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

    def group_heading(self, section: Section) -> str | None:
        """The kind's heading ("Areas for improvement") above the first section of each
        kind, when the paper holds more than recommendations; otherwise None."""
        if self._headings is None:
            kinds = [s.rec.kind for s in self.sections]
            self._headings = dict(zip(map(id, self.sections), headings(kinds), strict=True))
        return self._headings.get(id(section))

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
    actors = {u.actor for u, *_ in rows}
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
    for u, rec_kind, rec_no, action_no, action_title in rows:
        if rec_no is None or (rec_kind, rec_no) not in sections:
            continue  # panel meetings, leave: not progress on a recommendation
        section = sections[(rec_kind, rec_no)]
        ref = section.rec.ref + (f".{action_no}" if action_no is not None else "")
        review.place(section, u, ref, members)
        told = (Status.VERIFIED, Status.IMPLEMENTED, Status.WITHDRAWN)  # each said in words
        if u.field == "status" and u.after not in told and u.before != Status.WITHDRAWN:
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
