"""What the Markdown and the Word file share: the header block, the tables' rows, the closing sections."""

from __future__ import annotations

from models.paper.build import RAG_LABEL, Paper, Section
from models.paper.phrases import long_day, short_day
from models.service import ActionView, Rag
from models.tables import RecStatus

UNNAMED = "[owner to be named]"  # an owner the tracker knows only by id: never print the id


def owner_cell(a: ActionView) -> str:
    if not a.owner:
        return "unassigned"
    return a.owner_name if a.owner_name and a.owner_name != a.owner else UNNAMED


def action_row(a: ActionView) -> list[str]:
    return [
        a.ref,
        a.title,
        owner_cell(a),
        short_day(a.due),
        a.status_label,
        RAG_LABEL[a.rag],
    ]


ACTION_HEADERS = ["Ref", "Action", "Owner", "Due", "Status", "RAG"]
OVERVIEW_HEADERS = ["Recommendation", "Status", "Open actions", "Red", "Amber", "Green"]


def overview_rows(paper: Paper) -> list[list[str]]:
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


def header_lines(paper: Paper) -> list[tuple[str, str]]:
    return [
        ("ORIGINATOR", paper.originator.upper()),
        ("PAPER NO", paper.paper_ref or "[to be allocated]"),
        ("SUBMITTED TO", f"{paper.panel_title.upper()} – {long_day(paper.panel_day).upper()}"),
        ("SUBJECT", paper.subject.upper()),
    ]


def improvement_heading(s: Section) -> str:
    if s.rec.status == RecStatus.SIGNED_OFF:
        return "Further improvement being monitored"
    return "Improvement required"


CLOSING = [
    ("FINANCIAL IMPLICATIONS", "State any financial implications, or that there are none."),
    ("OTHER IMPLICATIONS AND RISKS", "State any other implications and risks, or none."),
    ("CHIEF OFFICER CONCLUSION", "The chief officer's conclusion."),
]


RESPONSE_HEADERS = ["Ref", "Action", "Owner", "Target date", "Status"]
