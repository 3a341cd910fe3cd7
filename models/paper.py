"""The draft update paper for the Accountability and Performance Panel.

`build_paper` gathers everything from the tracker in a fixed number of queries (the summary,
the panels, the history since the last panel, the names of the people in it) into a `Paper`;
`render_markdown` and `render_docx` turn that into the shape of a real panel paper (AP23/07):
header block, summary, the recommendation to the panel, one section per recommendation,
a RAG chart, and the closing sections left as headed placeholders for the author.

Pure Python: no Slack here. Note text goes into the paper, never into logs.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from models.errors import NotFound, UsageError
from models.service import (
    ActionView,
    Rag,
    RecView,
    get_inspection,
    summary,
)
from models.tables import (
    Action,
    Inspection,
    Member,
    PanelMeeting,
    Recommendation,
    RecStatus,
    Role,
    Status,
    Update,
)

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
# Characters XML 1.0 forbids: python-docx (lxml) refuses them, so they are dropped.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _day(d: date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else "date to be confirmed"


def _short(d: date | None) -> str:
    return f"{d.day} {d:%b %Y}" if d else "no date"


@dataclass
class Progress:
    day: date
    who: str
    text: str

    def __str__(self) -> str:
        return f"{_short(self.day)} — {self.who}: {self.text}"


@dataclass
class Slip:
    ref: str
    before: date | None
    after: date
    reason: str | None


@dataclass
class Section:
    rec: RecView
    progress: list[Progress] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return SIGNED_OFF if self.rec.status == RecStatus.SIGNED_OFF else OUTSTANDING

    @property
    def open_actions(self) -> list[ActionView]:
        return self.rec.open_actions

    @property
    def heading(self) -> str:
        return f"Recommendation {self.rec.number} – {self.status_label}"


@dataclass
class Paper:
    originator: str
    paper_ref: str | None
    panel_title: str
    panel_day: date
    since: date | None  # the last panel before this one
    today: date
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
    signed_off_now: list[tuple[int, str]] = field(default_factory=list)  # (number, title)
    slipped: list[Slip] = field(default_factory=list)

    @property
    def subject(self) -> str:
        force = (
            f" for {self.force}"
            if self.force and self.force.lower() not in self.inspection_title.lower()
            else ""
        )
        return (
            f"Update in response to recommendations contained within the {self.inspection_title}"
            f" ({self.inspection_code}) report{force}"
        )

    @property
    def signed_off(self) -> list[Section]:
        return [s for s in self.sections if s.rec.status == RecStatus.SIGNED_OFF]

    @property
    def outstanding(self) -> list[Section]:
        return [s for s in self.sections if s.rec.status != RecStatus.SIGNED_OFF]

    def rag_table(self) -> list[tuple[int, dict[str, int]]]:
        """Per recommendation, all its actions by RAG (verified ones count as complete)."""
        rows = []
        for s in self.sections:
            counts = dict.fromkeys(Rag.ORDER, 0)
            for a in s.rec.actions:
                counts[a.rag] += 1
            rows.append((s.rec.number, counts))
        return rows

    def summary_paragraphs(self) -> list[str]:
        who = self.inspectorate
        paras = []
        if self.fieldwork_start:
            span = (
                f"between {_day(self.fieldwork_start)} and {_day(self.fieldwork_end)}"
                if self.fieldwork_end
                else f"from {_day(self.fieldwork_start)}"
            )
            paras.append(f"{who} completed the {self.inspection_title} {span}.")
        if self.published:
            paras.append(f"{who} published its findings on {_day(self.published)}.")
        if self.reinspected:
            paras.append(
                f"{who} returned for a post-inspection review in {self.reinspected:%B %Y}."
            )
        n = len(self.sections)
        paras.append(
            f"Of the {n} recommendations, {len(self.signed_off)} have been signed off and "
            f"{len(self.outstanding)} remain outstanding"
            + (
                f" (Recommendations {_and([str(s.rec.number) for s in self.outstanding])})."
                if self.outstanding
                else "."
            )
        )
        open_actions = [a for s in self.sections for a in s.open_actions]
        red = sum(1 for a in open_actions if a.rag == Rag.RED)
        amber = sum(1 for a in open_actions if a.rag == Rag.AMBER)
        green = sum(1 for a in open_actions if a.rag == Rag.GREEN)
        paras.append(
            f"As at {_day(self.today)} there are {len(open_actions)} open actions: "
            f"{red} red, {amber} amber and {green} green."
        )
        since = f"the last panel on {_day(self.since)}" if self.since else "the tracker began"
        if self.verified:
            items = _and([f"{ref} ({title})" for ref, title in self.verified])
            paras.append(f"Since {since}, a lead has verified the evidence for {items}.")
        else:
            paras.append(f"No action has been verified as complete since {since}.")
        if self.signed_off_now:
            items = _and([f"Recommendation {n} ({t})" for n, t in self.signed_off_now])
            paras.append(f"Since {since}, {items} has been signed off.")
        for s in self.slipped:
            moved = f"from {_day(s.before)} " if s.before else ""
            reason = f"; the reason given: {s.reason}" if s.reason else "; no reason was given"
            paras.append(f"The due date of {s.ref} moved {moved}to {_day(s.after)}{reason}.")
        return paras

    def recommendation_to_panel(self) -> list[str]:
        return [
            "The Police and Crime Commissioner (PCC) is asked to consider the progress made by "
            "the Constabulary, and raise issues with the Chief Constable as appropriate to the "
            "PCC's role in holding the Chief Constable to account."
        ]

    def intro_paragraphs(self) -> list[str]:
        return [
            f"The following updates report progress since {self._since_text()} against the "
            f"{len(self.sections)} recommendations, drawn from the action tracker kept by the "
            "Child Protection Delivery Board.",
            f"{len(self.signed_off)} of the {len(self.sections)} recommendations have been "
            f"signed off; {len(self.outstanding)} remain outstanding. The chart below shows each "
            "recommendation's actions by RAG status.",
        ]

    def _since_text(self) -> str:
        return f"the last panel on {_day(self.since)}" if self.since else "the inspection"


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# -- gathering ------------------------------------------------------------------------------


def build_paper(
    session: Session,
    *,
    today: date,
    now: datetime,
    panel: date | None = None,
    inspection: str | None = None,
    originator: str = ORIGINATOR,
) -> Paper:
    """The paper for the panel on `panel` (default: the next one), in a fixed number of queries."""
    insp: Inspection = get_inspection(session, code=inspection)
    s = summary(session, today=today, inspection=insp.code)
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

    q = (
        select(Update, Recommendation.number, Action.number, Action.title)
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

    sections = {r.number: Section(rec=r) for r in s.recs}
    paper = Paper(
        originator=originator,
        paper_ref=target.paper_ref,
        panel_title=target.title or PANEL_NAME,
        panel_day=target.day,
        since=last.day if last else None,
        today=today,
        inspection_code=insp.code,
        inspection_title=insp.title,
        inspectorate=insp.inspectorate,
        force=insp.force,
        fieldwork_start=insp.fieldwork_start,
        fieldwork_end=insp.fieldwork_end,
        published=insp.published,
        reinspected=insp.reinspected,
        sections=list(sections.values()),
    )
    for u, rec_no, action_no, action_title in rows:
        if rec_no is None or rec_no not in sections:
            continue  # panel meetings, leave: not progress on a recommendation
        ref = f"R{rec_no}.{action_no}" if action_no is not None else f"R{rec_no}"
        text = _describe(u, ref, members)
        if text is None:
            continue
        who = _who(u.actor, members)
        sections[rec_no].progress.append(Progress(day=u.at.date(), who=who, text=text))
        if u.field == "status" and u.after == Status.VERIFIED:
            paper.verified.append((ref, action_title or ""))
        elif u.field == "rec_status" and u.after == RecStatus.SIGNED_OFF:
            paper.signed_off_now.append((rec_no, sections[rec_no].rec.title))
        elif u.field == "due" and u.before and u.after and u.after > u.before:
            paper.slipped.append(
                Slip(
                    ref=ref,
                    before=date.fromisoformat(u.before),
                    after=date.fromisoformat(u.after),
                    reason=u.note,
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


def _who(actor: str, members: dict[str, Member]) -> str:
    m = members.get(actor)
    if m is None:
        return "Imported" if actor == "import" else actor
    if m.display_name and m.display_name != m.user_id:
        return m.display_name
    return "Lead" if m.role == Role.LEAD else "Action owner"


def _label(value: str | None) -> str:
    if not value:
        return "none"
    try:
        return Status(value).label
    except ValueError:
        return value.replace("_", " ")


def _describe(u: Update, ref: str, members: dict[str, Member]) -> str | None:
    note = f": {u.note}" if u.note else ""
    f = u.field
    if f == "created":
        return f"{ref} added: {u.after}"
    if f == "owner":
        if not u.after:
            return f"{ref} has no owner{note}"
        return f"{ref} assigned to {_who(u.after, members)}{note}"
    if f == "due":
        if u.before and u.after:
            verb = "moved" if u.after > u.before else "brought forward"
            return (
                f"{ref} due date {verb} from {_short(date.fromisoformat(u.before))} to "
                f"{_short(date.fromisoformat(u.after))}{note}"
            )
        if u.after:
            return f"{ref} due {_short(date.fromisoformat(u.after))}{note}"
        return None
    if f == "status":
        if u.after == Status.VERIFIED:
            return f"{ref} verified as complete{note}"
        if u.after == Status.IMPLEMENTED:
            return f"{ref} marked implemented{note}"
        return f"{ref} status changed from {_label(u.before)} to {_label(u.after)}{note}"
    if f == "note":
        return f"{ref}{note}"
    if f == "rec_status":
        if u.after == RecStatus.SIGNED_OFF:
            return f"{ref} signed off{note}"
        return f"{ref} status changed to {_label(u.after)}{note}"
    if f == "handover":
        return f"{ref} handover {u.after}"
    if f == "evidence":
        return None  # already in the implemented line
    return f"{ref} {f.replace('_', ' ')} changed to {u.after}{note}" if u.after else None


# -- the chart ------------------------------------------------------------------------------


def chart_png(paper: Paper) -> bytes:
    """A stacked bar per recommendation: its actions by RAG. Agg canvas, no pyplot state."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = paper.rag_table()
    labels = [f"R{n}" for n, _ in rows]
    fig = Figure(figsize=(7.5, 3.6), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    bottom = [0] * len(rows)
    for key in Rag.ORDER:
        values = [counts[key] for _, counts in rows]
        ax.bar(labels, values, bottom=bottom, color=RAG_COLOUR[key], label=RAG_LABEL[key])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("Actions")
    ax.set_title(f"Actions by RAG status per recommendation, as at {_short(paper.today)}")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


# -- rendering --------------------------------------------------------------------------------


def _action_row(a: ActionView) -> list[str]:
    return [
        a.ref,
        a.title,
        a.owner_name or a.owner or "unassigned",
        _short(a.due),
        a.status_label,
        RAG_LABEL[a.rag],
    ]


ACTION_HEADERS = ["Ref", "Action", "Owner", "Due", "Status", "RAG"]
OVERVIEW_HEADERS = ["Recommendation", "Status", "Open actions", "Red", "Amber", "Green"]


def _overview_rows(paper: Paper) -> list[list[str]]:
    rows = []
    for s in paper.sections:
        counts = s.rec.rag_counts
        rows.append(
            [
                f"R{s.rec.number} {s.rec.title}",
                s.status_label,
                str(len(s.open_actions)),
                str(counts.get(Rag.RED, 0)),
                str(counts.get(Rag.AMBER, 0)),
                str(counts.get(Rag.GREEN, 0)),
            ]
        )
    return rows


def _header_lines(paper: Paper) -> list[tuple[str, str]]:
    return [
        ("ORIGINATOR", paper.originator.upper()),
        ("PAPER NO", paper.paper_ref or "[to be allocated]"),
        ("SUBMITTED TO", f"{paper.panel_title.upper()} – {_day(paper.panel_day).upper()}"),
        ("SUBJECT", paper.subject.upper()),
    ]


def _improvement_heading(s: Section) -> str:
    if s.rec.status == RecStatus.SIGNED_OFF:
        return "Further improvement being monitored"
    return "Improvement required"


CLOSING = [
    ("FINANCIAL IMPLICATIONS", "State any financial implications, or that there are none."),
    ("OTHER IMPLICATIONS AND RISKS", "State any other implications and risks, or none."),
    ("CHIEF OFFICER CONCLUSION", "The chief officer's conclusion."),
]


def _md_cell(text: str) -> str:
    return " ".join(str(text).split()).replace("\\", "\\\\").replace("|", "\\|")


def _md_text(text: str) -> str:
    """One paragraph of user text: newlines folded, nothing taken as Markdown structure."""
    text = " ".join(str(text).split())
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def _md_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return out


def render_markdown(paper: Paper, *, chart_file: str | None = None) -> str:
    out: list[str] = []
    for label, value in _header_lines(paper):
        out.append(f"**{label}:** {_md_text(value)}  ")
    out.append("")
    out += ["## SUMMARY", ""]
    out += [f"{i}. {_md_text(p)}" for i, p in enumerate(paper.summary_paragraphs(), 1)]
    out += ["", "## RECOMMENDATION", ""]
    out += [f"{i}. {_md_text(p)}" for i, p in enumerate(paper.recommendation_to_panel(), 1)]
    out += ["", "## 1. PROGRESS AGAINST THE RECOMMENDATIONS", ""]
    n = 0

    def para(text: str) -> str:
        nonlocal n
        n += 1
        return f"1.{n} {_md_text(text)}"

    for p in paper.intro_paragraphs():
        out += [para(p), ""]
    out += _md_table(OVERVIEW_HEADERS, _overview_rows(paper)) + [""]
    if chart_file:
        out += [f"![Actions by RAG status per recommendation]({chart_file})", ""]
    for s in paper.sections:
        out += [f"### {s.heading}", "", _md_text(s.rec.text), ""]
        if s.rec.sub_points:
            out += [f"- {_md_text(sp)}" for sp in s.rec.sub_points] + [""]
        out += ["#### Progress since the last panel", ""]
        if s.progress:
            for pr in s.progress:
                out += [para(str(pr)), ""]
        else:
            out += [para("No update has been recorded since the last panel."), ""]
        if s.open_actions:
            out += [f"#### {_improvement_heading(s)}", ""]
            out += _md_table(ACTION_HEADERS, [_action_row(a) for a in s.open_actions]) + [""]
    for i, (title, hint) in enumerate(CLOSING, start=2):
        out += [f"## {i}. {title}", "", f"{i}.1 {PLACEHOLDER} {hint}", ""]
    return "\n".join(out).rstrip() + "\n"


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("", str(text))


def render_docx(paper: Paper, *, chart: bytes | None = None) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt

    doc = Document()
    doc.core_properties.title = _clean(paper.subject)
    doc.core_properties.subject = _clean(f"{paper.panel_title} {paper.paper_ref or ''}".strip())
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)

    for label, value in _header_lines(paper):
        p = doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        run = p.add_run(_clean(value))
        run.bold = label in ("SUBMITTED TO", "SUBJECT")

    def numbered_list(items: list[str]) -> None:
        num_id = _restart_numbering(doc)
        for text in items:
            p = doc.add_paragraph(_clean(text), style="List Number")
            p._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = num_id
            p._p.get_or_add_pPr().get_or_add_numPr().get_or_add_ilvl().val = 0

    doc.add_heading("SUMMARY", level=1)
    numbered_list(paper.summary_paragraphs())
    doc.add_heading("RECOMMENDATION", level=1)
    numbered_list(paper.recommendation_to_panel())
    doc.add_heading("1. PROGRESS AGAINST THE RECOMMENDATIONS", level=1)

    n = 0

    def para(text: str) -> None:
        nonlocal n
        n += 1
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Cm(1.25)
        p.paragraph_format.first_line_indent = Cm(-1.25)
        p.add_run(f"1.{n}\t")
        p.add_run(_clean(text))

    def table(headers: list[str], rows: list[list[str]], widths: list[float]) -> None:
        t = doc.add_table(rows=1, cols=len(headers))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, h in zip(t.rows[0].cells, headers, strict=True):
            cell.text = h
            cell.paragraphs[0].runs[0].bold = True
        for row in rows:
            cells = t.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = _clean(value)
        for row in t.rows:
            for cell, w in zip(row.cells, widths, strict=True):
                cell.width = Cm(w)
        doc.add_paragraph()

    for p in paper.intro_paragraphs():
        para(p)
    table(OVERVIEW_HEADERS, _overview_rows(paper), [7.0, 3.5, 2.0, 1.3, 1.5, 1.5])
    if chart:
        doc.add_picture(io.BytesIO(chart), width=Cm(16))
        doc.add_paragraph("Figure 1: actions by RAG status per recommendation.", style="Caption")

    for s in paper.sections:
        doc.add_heading(s.heading, level=2)
        doc.add_paragraph(_clean(s.rec.text))
        for sp in s.rec.sub_points:
            doc.add_paragraph(_clean(sp), style="List Bullet")
        doc.add_heading("Progress since the last panel", level=3)
        if s.progress:
            for pr in s.progress:
                para(str(pr))
        else:
            para("No update has been recorded since the last panel.")
        if s.open_actions:
            doc.add_heading(_improvement_heading(s), level=3)
            table(
                ACTION_HEADERS,
                [_action_row(a) for a in s.open_actions],
                [1.3, 7.0, 3.5, 2.2, 2.0, 1.5],
            )

    for i, (title, hint) in enumerate(CLOSING, start=2):
        doc.add_heading(f"{i}. {title}", level=1)
        p = doc.add_paragraph()
        p.add_run(f"{i}.1\t")
        p.add_run(f"{PLACEHOLDER} {hint}").italic = True

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _restart_numbering(doc) -> int:  # noqa: ANN001 - python-docx Document
    """A fresh numbering instance of the "List Number" list, so each list starts at 1."""
    numbering = doc.part.numbering_part.numbering_definitions._numbering
    style_num = doc.styles["List Number"].element.pPr.numPr.numId.val
    abstract_id = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def chart_path_for(out: Path) -> Path:
    return out.with_name(f"{out.stem}-rag-chart.png")


def write_paper(paper: Paper, out: Path) -> list[Path]:
    """Write the paper to `out` (.docx or .md; the .md gets its chart PNG beside it)."""
    suffix = out.suffix.lower()
    chart = chart_png(paper)
    if suffix == ".docx":
        out.write_bytes(render_docx(paper, chart=chart))
        return [out]
    if suffix == ".md":
        png = chart_path_for(out)
        png.write_bytes(chart)
        out.write_text(render_markdown(paper, chart_file=png.name), encoding="utf-8")
        return [out, png]
    raise UsageError(f"Write the paper to a .docx or .md file, not {out.name}.")


def default_filename(paper: Paper, suffix: str = ".docx") -> str:
    ref = re.sub(r"[^A-Za-z0-9]+", "-", paper.paper_ref or "").strip("-")
    return (
        f"{paper.inspection_code}-panel-paper-{paper.panel_day.isoformat()}"
        + (f"-{ref}" if ref else "")
        + suffix
    )
