"""What the Markdown and the Word file share: the header block, the tables' rows, the closing sections."""

from __future__ import annotations

import re

from models.paper.document import RAG_LABEL, Paper, Section
from models.paper.phrases import long_day, short_day
from models.service import ActionView, Rag
from models.tables import PaperSection, RecStatus

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
                f"{s.rec.ref} {s.rec.title}",
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
    if s.improvement:
        return "Improvement required"
    if s.rec.status == RecStatus.SIGNED_OFF:
        return "Further improvement being monitored"
    return "Improvement required"


# AP23/07's numbers: section 1's paragraphs run from 1.2 (its heading holds the place of 1.1),
# each later section's from .1 (2.1, 3.1, …).
FIRST_NUMBER = {1: 2}


def first_number(section: int) -> int:
    """The number of a section's first paragraph: 2 for section 1 (1.2), else 1."""
    return FIRST_NUMBER.get(section, 1)


CLOSING = [
    ("FINANCIAL IMPLICATIONS", "State any financial implications, or that there are none."),
    ("OTHER IMPLICATIONS AND RISKS", "State any other implications and risks, or none."),
    ("CHIEF OFFICER CONCLUSION", "The chief officer's conclusion."),
]
CLOSING_KEYS = (PaperSection.FINANCIAL, PaperSection.OTHER, PaperSection.CONCLUSION)
BULLET = re.compile(r"^\s*[-•*·]\s+")


def show_progress(s: Section) -> bool:
    """ "Progress since the last panel" when there is some, or nothing else to say."""
    return bool(s.progress_paragraphs()) or not s.findings


def summary_text(paper: Paper) -> list[str]:
    """Section 2: what the leads wrote (carried forward), else the tracker's own account."""
    return paper.closing.get(PaperSection.SUMMARY) or paper.summary_paragraphs()


def closing_sections(paper: Paper) -> list[tuple[int, str, list[str], str]]:
    """Sections 3 to 5: (number, title, the leads' paragraphs or [], the placeholder hint)."""
    return [
        (i, title, paper.closing.get(key) or [], hint)
        for i, ((title, hint), key) in enumerate(zip(CLOSING, CLOSING_KEYS, strict=True), start=3)
    ]


def paragraph_parts(text: str) -> tuple[str, list[tuple[str, str]]]:
    """A written paragraph → its first line (the numbered one) and what follows it, each
    ("bullet" | "text", line): AP23/07's 1.26 and 1.38 carry a list inside the paragraph."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return "", []
    rest = [
        ("bullet", BULLET.sub("", line).strip()) if BULLET.match(line) else ("text", line.strip())
        for line in lines[1:]
    ]
    return BULLET.sub("", lines[0]).strip(), rest


RESPONSE_HEADERS = ["Ref", "Action", "Owner", "Target date", "Status"]
