"""The PCC's published comments on an inspection report (Police Act 1996 s.55), drafted.

The shape is the seed's opening letter (the PCC to the Home Secretary, 17 January 2024):
addressed to the Home Secretary, the report named, and then what s.55(5A)/(5B) asks for: for
each recommendation, what action will be taken, or why none will be. The tracker knows the
first part: the actions, their owners (named as the paper names them) and their target
dates. Where nothing is planned for a recommendation that is still open the draft says so in
a marked gap for the author to fill.

`build_response` gathers it into a `Response`; `models.paper.markdown` and
`models.paper.docx` write it with the paper's writers. Pure Python: no Slack, no python-docx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session

from models.kinds import spelled
from models.paper.document import inspection_name
from models.paper.layout import owner_cell
from models.paper.phrases import long_day, short_day
from models.service import ActionView, MilestoneView, RecView, get_inspection, summary
from models.service.milestones import MilestoneKind
from models.tables import RecStatus, Status
from models.timescales import IMMEDIATELY_DAYS
from models.wording import and_list, plural

GAP = "[No action planned yet — say what will be done or why none will be (s.55(5A)/(5B))]"
ADDRESS = (
    "The Rt Hon [Home Secretary's name] MP",
    "Home Secretary",
    "Home Office",
    "2 Marsham Street",
    "London",
    "SW1P 4DF",
)
SALUTATION = "Dear Home Secretary"
SIGN_OFF = "Yours sincerely"
OUR_REF = "[our reference]"
PCC_NAME = "[name]"
S55_BASIS = (
    "Section 55 of the Police Act 1996 requires me to publish my comments on this report "
    "before the end of the 56-day period beginning on the day it was published"
)


@dataclass
class Planned:
    """One action the force has in hand for a recommendation, as the letter states it."""

    ref: str
    title: str
    owner: str  # a role or a name, as the paper prints it; never an id
    target: date | None
    status: str  # "on track", "implemented, awaiting verification", …

    def row(self) -> list[str]:
        """Its row in the letter's table (`layout.RESPONSE_HEADERS`)."""
        return [self.ref, self.title, self.owner, short_day(self.target), self.status]


@dataclass
class Item:
    """One recommendation: its text, what will be done, and what is already done."""

    rec: RecView
    inspectorate: str
    force: str | None
    planned: list[Planned] = field(default_factory=list)
    done: list[Planned] = field(default_factory=list)  # verified: evidence seen by a lead

    @property
    def signed_off(self) -> bool:
        return self.rec.status == RecStatus.SIGNED_OFF

    @property
    def gap(self) -> bool:
        """Still open with nothing in hand: the letter must say what will be done, or why not."""
        return not self.signed_off and not self.planned

    @property
    def heading(self) -> str:
        state = " (signed off)" if self.signed_off else ""
        return f"{spelled(self.rec.kind, self.rec.number)} – {self.rec.title}{state}"

    def timescale_line(self) -> str | None:
        if not self.rec.timescale:
            return None
        by = f", by {long_day(self.rec.target)}" if self.rec.target else ""
        return f"Timescale: {self.rec.timescale}{by}."

    def answer(self) -> list[str]:
        """The paragraphs saying what the force will do, before the table of actions."""
        out = []
        if self.signed_off:
            when = f" on {long_day(self.rec.signed_off_on)}" if self.rec.signed_off_on else ""
            out.append(f"{self.inspectorate} signed this recommendation off{when}.")
        if self.planned:
            these = "this action" if len(self.planned) == 1 else "these actions"
            out.append(f"{self.force or 'The force'} will take {these}:")
        elif self.signed_off:
            out.append("No further action is planned.")
        if self.done:
            refs = and_list([f"{d.ref} ({d.title})" for d in self.done])
            out.append(f"Completed, with the evidence verified: {refs}.")
        return out


@dataclass
class Response:
    today: date
    now: datetime
    inspection_code: str
    inspection_title: str
    inspectorate: str
    force: str | None
    published: date | None
    reinspected: date | None
    deadline: date | None  # the s.55 milestone: publication + 55 days
    cc_comments: date | None  # when the chief constable's comments are asked for
    items: list[Item]
    panel_title: str | None = None  # the next panel meeting, where progress is reported
    panel_day: date | None = None

    @property
    def area(self) -> str:
        """ "Suffolk" for Suffolk Constabulary: what the PCC signs for."""
        if not self.force:
            return "[police area]"
        return re.sub(
            r"\s+(constabulary|police( service)?|police force)$", "", self.force, flags=re.I
        )

    @property
    def report_name(self) -> str:
        """The seed's "HMICFRS – National Child Protection Inspection (Re-inspection) Report
        for Suffolk Constabulary"."""
        again = self.reinspected is not None or "re-inspection" in self.inspection_title.lower()
        kind = " (Re-inspection)" if again else ""
        force = f" for {self.force}" if self.force else ""
        name = inspection_name(self.inspection_title, self.force)
        return f"{self.inspectorate} – {name}{kind} Report{force}"

    @property
    def subject(self) -> str:
        return f"RE: {self.report_name}."

    @property
    def gaps(self) -> list[Item]:
        return [i for i in self.items if i.gap]

    def address(self) -> list[str]:
        return list(ADDRESS)

    def opening(self) -> list[str]:
        """Thanks, the report and its publication, the s.55 basis and deadline."""
        paras = ["Thank you for the opportunity to comment on this report."]
        if self.published:
            paras.append(
                f"{self.inspectorate} published the report on {long_day(self.published)}. "
                f"{S55_BASIS}, that is by {long_day(self.deadline)}."
            )
        else:
            paras.append(
                f"{S55_BASIS}. [Author: the tracker has no publication date for this report, "
                "so the deadline is not known; set it before this letter is published.]"
            )
        if self.deadline and self.deadline < self.today:
            paras.append(
                f"[Author: the s.55 deadline passed on {long_day(self.deadline)}; if this letter "
                "answers a later report, say which and when it was published.]"
            )
        force = self.force or "the force"
        if self.cc_comments:
            paras.append(
                f"I invited the Chief Constable's comments, asked for by "
                f"{long_day(self.cc_comments)}; what {force} will do about each recommendation "
                "is set out below, with the role responsible and the target date."
            )
        if self.panel_day:
            paras.append(
                f"{force} will report its progress on the recommendations to my public "
                f"{self.panel_title} on {long_day(self.panel_day)}."
            )
        return paras

    def closing(self) -> list[str]:
        n = len(self.items)
        signed = sum(1 for i in self.items if i.signed_off)
        paras = []
        if signed:
            paras.append(
                f"{signed} of the {plural(n, 'recommendation')} "
                f"{'has' if signed == 1 else 'have'} been signed off. The outstanding "
                "recommendations will be kept under review."
            )
        else:
            paras.append("I will keep the force's progress on every recommendation under review.")
        if self.gaps:
            which = and_list([spelled(i.rec.kind, i.rec.number) for i in self.gaps])
            paras.append(
                f"[Author: {which} {'has' if len(self.gaps) == 1 else 'have'} no action "
                "planned yet; fill each gap before this letter is published.]"
            )
        return paras

    def signature(self) -> str:
        return f"{PCC_NAME}, Police and Crime Commissioner for {self.area}"


def _planned(a: ActionView) -> Planned:
    status = (
        "implemented, awaiting verification"
        if a.status == Status.IMPLEMENTED
        else Status(a.status).label
    )
    if a.overdue_working_days > 0:
        status += ", overdue"
    return Planned(ref=a.ref, title=a.title, owner=owner_cell(a), target=a.due, status=status)


def build_response(
    session: Session,
    *,
    today: date,
    now: datetime,
    inspection: str | None = None,
    immediately_days: int = IMMEDIATELY_DAYS,
) -> Response:
    """The s.55 response for the inspection, as the tracker stands today."""
    insp = get_inspection(session, code=inspection)
    s = summary(session, today=today, inspection=insp.code, immediately_days=immediately_days)
    day: dict[str, MilestoneView] = {m.kind: m for m in s.milestones}
    items = []
    for rec in s.recs:
        item = Item(rec=rec, inspectorate=insp.inspectorate, force=insp.force)
        for a in rec.actions:
            if a.status == Status.WITHDRAWN:
                continue  # no longer what the force will do; the history says why
            if a.status == Status.VERIFIED:
                item.done.append(_planned(a))
            else:
                item.planned.append(_planned(a))
        items.append(item)
    s55 = day.get(MilestoneKind.S55)
    cc = day.get(MilestoneKind.CHIEF_CONSTABLE)
    return Response(
        today=today,
        now=now,
        inspection_code=insp.code,
        inspection_title=insp.title,
        inspectorate=insp.inspectorate,
        force=insp.force,
        published=insp.published,
        reinspected=insp.reinspected,
        deadline=s55.day if s55 else None,
        cc_comments=cc.day if cc else None,
        items=items,
        panel_title=s.next_panel.title if s.next_panel else None,
        panel_day=s.next_panel.day if s.next_panel else None,
    )
