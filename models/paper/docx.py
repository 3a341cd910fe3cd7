"""The paper as a Word file: python-docx stays in this module."""

from __future__ import annotations

import io
import re

from models.paper.build import PLACEHOLDER, Paper
from models.paper.layout import (
    ACTION_HEADERS,
    CLOSING,
    OVERVIEW_HEADERS,
    action_row,
    header_lines,
    improvement_heading,
    overview_rows,
)

# Characters XML 1.0 forbids: python-docx (lxml) refuses them, so they are dropped.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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

    for label, value in header_lines(paper):
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
    table(OVERVIEW_HEADERS, overview_rows(paper), [7.0, 3.5, 2.0, 1.3, 1.5, 1.5])
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
            doc.add_heading(improvement_heading(s), level=3)
            table(
                ACTION_HEADERS,
                [action_row(a) for a in s.open_actions],
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
