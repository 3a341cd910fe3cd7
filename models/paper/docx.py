"""The paper and the s.55 response letter as Word files: python-docx stays in this module."""

from __future__ import annotations

import io
import re

from models.paper.chart import RAG_CHART_ALT, TREND_CHART_ALT
from models.paper.document import PLACEHOLDER, Paper
from models.paper.layout import (
    ACTION_HEADERS,
    OVERVIEW_HEADERS,
    RESPONSE_HEADERS,
    action_row,
    closing_sections,
    first_number,
    header_lines,
    improvement_heading,
    overview_rows,
    paragraph_parts,
    show_progress,
    summary_text,
)
from models.paper.phrases import long_day
from models.paper.response import GAP, OUR_REF, SALUTATION, SIGN_OFF, Response
from models.settings import MARKING

# Characters XML 1.0 forbids: python-docx (lxml) refuses them, so they are dropped.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("", str(text))


def new_document(*, title: str, subject: str, author: str, now, marking: str = MARKING):
    """A blank Word document as the paper and the response letter share it: A4, the marking in
    header and footer, "Page X of Y", Arial throughout, the properties set (nothing else)."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    doc = Document()
    props = doc.core_properties
    props.title = _clean(title)
    props.subject = _clean(subject)
    props.author = props.last_modified_by = _clean(author)
    props.created = props.modified = now.replace(tzinfo=None)
    props.comments = props.keywords = props.category = ""
    props.revision = 1
    _page_setup(doc, marking)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Caption"):  # AP23/07: black Arial
        style = doc.styles[name]
        style.font.name = "Arial"
        style.font.color.rgb = RGBColor(0, 0, 0)
    return doc


def add_table(doc, headers: list[str], rows: list[list[str]], widths: list[float]) -> None:
    """A gridded table, bold header row, 9.5 pt cells, fixed column widths (cm)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt

    t = doc.add_table(rows=1, cols=len(headers))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for column, w in zip(t.columns, widths, strict=True):
        column.width = Cm(w)
    size, sized = Pt(9.5), [Cm(w) for w in widths]

    def fill(cells, values: list[str], *, bold: bool = False) -> None:
        for cell, value, w in zip(cells, values, sized, strict=True):
            run = _add_run(cell.paragraphs[0], _clean(value))
            run.font.size = size
            if bold:
                run.bold = True
            cell.width = w

    fill(t.rows[0].cells, headers, bold=True)
    for row in rows:
        fill(t.add_row().cells, row)
    _add_paragraph(doc)


def _add_paragraph(doc, text: str = "", style: str | None = None):
    """`doc.add_paragraph`, put straight before the body's section properties: python-docx
    finds them by scanning the whole body for each new paragraph, which made a long paper
    (10,000 paragraphs of progress) take seconds per thousand."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    try:
        last = doc.element.body[-1]  # lxml finds the last child at once (len() would count)
    except IndexError:
        last = None
    if last is None or last.tag != qn("w:sectPr"):
        return doc.add_paragraph(text, style)
    p = OxmlElement("w:p")
    last.addprevious(p)
    para = Paragraph(p, doc._body)
    if style is not None:
        para.style = style
    if text:
        _add_run(para, text)
    return para


def _add_run(paragraph, text: str):
    """`paragraph.add_run(text)`, a `w:t` a piece between tabs at once where the text has no
    line break (python-docx otherwise reads it a character at a time)."""
    from docx.text.run import Run

    if "\n" in text or "\r" in text:
        return paragraph.add_run(text)
    r = paragraph._p.add_r()
    for i, piece in enumerate(text.split("\t")):
        if i:
            r.add_tab()
        if piece:
            r.add_t(piece)
    return Run(r, paragraph)


def hung(doc, number: str, text: str, *, italic: bool = False) -> None:
    """A numbered paragraph hung as AP23/07's are: "1.4<tab>text"; a written paragraph's
    later lines as bullets or text."""
    from docx.shared import Cm

    first, rest = paragraph_parts(text)
    p = _add_paragraph(doc)
    p.paragraph_format.left_indent = Cm(1.25)
    p.paragraph_format.first_line_indent = Cm(-1.25)
    _add_run(p, f"{number}\t")
    run = _add_run(p, _clean(first))
    if italic:
        run.italic = True
    for kind, line in rest:  # a written paragraph's later lines: bullets or plain text
        if kind == "bullet":
            q = _add_paragraph(doc, _clean(line), style="List Bullet")
            q.paragraph_format.left_indent = Cm(1.9)
        else:
            q = _add_paragraph(doc, _clean(line))
            q.paragraph_format.left_indent = Cm(1.25)


def _saved(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render_docx(
    paper: Paper,
    *,
    chart: bytes | None = None,
    trend: bytes | None = None,
    marking: str = MARKING,
) -> bytes:
    """The paper as a Word file: `chart` (Figure 1, the RAG chart) and `trend` (Figure 2, open
    actions by RAG at each panel so far) after the overview table, `marking` in header and
    footer."""
    from docx.shared import Cm

    doc = new_document(
        title=paper.subject,
        subject=f"{paper.panel_title} {paper.paper_ref or ''}".strip(),
        author=paper.force or paper.originator,
        now=paper.now,
        marking=marking,
    )
    for label, value in header_lines(paper):
        p = _add_paragraph(doc)
        _add_run(p, f"{label}: ").bold = True
        run = _add_run(p, _clean(value))
        run.bold = label in ("SUBMITTED TO", "SUBJECT")

    def numbered_list(items: list[str]) -> None:
        num_id = _restart_numbering(doc)
        for text in items:
            p = _add_paragraph(doc, _clean(text), style="List Number")
            p._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = num_id
            p._p.get_or_add_pPr().get_or_add_numPr().get_or_add_ilvl().val = 0

    doc.add_heading("SUMMARY", level=1)
    numbered_list(paper.background_paragraphs())
    doc.add_heading("RECOMMENDATION", level=1)
    numbered_list(paper.recommendation_to_panel())
    doc.add_heading(paper.findings_heading, level=1)

    n = first_number(1) - 1

    def para(text: str) -> None:
        nonlocal n
        n += 1
        hung(doc, f"1.{n}", text)

    for p in paper.intro_paragraphs():
        para(p)
    add_table(doc, OVERVIEW_HEADERS, overview_rows(paper), [6.0, 3.0, 2.0, 1.3, 1.7, 1.7])
    figures = [(png, alt) for png, alt in ((chart, RAG_CHART_ALT), (trend, TREND_CHART_ALT)) if png]
    for i, (png, alt) in enumerate(figures, 1):
        doc.add_picture(io.BytesIO(png), width=Cm(16))
        _add_paragraph(doc, f"Figure {i}: {alt[0].lower()}{alt[1:]}.", style="Caption")

    for group, s in paper.grouped():
        if group:
            doc.add_heading(group, level=2)
        doc.add_heading(s.heading, level=2)
        _add_paragraph(doc, _clean(s.rec.text))
        for sp in s.rec.sub_points:
            _add_paragraph(doc, _clean(sp), style="List Bullet")
        if s.findings:
            doc.add_heading(_clean(paper.findings_subheading), level=3)
            for text in s.findings:
                para(text)
        if show_progress(s):
            doc.add_heading("Progress since the last panel", level=3)
            if s.progress_paragraphs():
                for text in s.progress_paragraphs():
                    para(text)
            else:
                para("No update has been recorded since the last panel.")
        if s.improvement or s.open_actions:
            doc.add_heading(improvement_heading(s), level=3)
            for text in s.improvement:
                para(text)
        if s.open_actions:
            add_table(
                doc,
                ACTION_HEADERS,
                [action_row(a) for a in s.open_actions],
                [1.8, 5.6, 3.4, 2.1, 1.9, 1.7],  # the Ref column holds AFI12.3 on one line
            )

    doc.add_heading("2. SUMMARY", level=1)
    for i, text in enumerate(summary_text(paper), first_number(2)):
        hung(doc, f"2.{i}", text)
    for number, title, paras, hint in closing_sections(paper):
        doc.add_heading(f"{number}. {title}", level=1)
        for i, text in enumerate(paras, first_number(number)):
            hung(doc, f"{number}.{i}", text)
        if not paras:
            hung(doc, f"{number}.{first_number(number)}", f"{PLACEHOLDER} {hint}", italic=True)
    return _saved(doc)


def render_response_docx(response: Response, *, marking: str = MARKING) -> bytes:
    """The s.55 response letter: the seed's letter to the Home Secretary, then each
    recommendation with what will be done (a table of actions) or the marked gap."""
    from docx.enum.text import WD_COLOR_INDEX

    doc = new_document(
        title=response.subject,
        subject=f"Police Act 1996 s.55 comments: {response.inspection_code}",
        author=f"Police and Crime Commissioner for {response.area}",
        now=response.now,
        marking=marking,
    )

    def lines(texts: list[str]) -> None:
        p = _add_paragraph(doc)
        for i, text in enumerate(texts):
            run = _add_run(p, _clean(text))
            if i < len(texts) - 1:
                run.add_break()

    lines(response.address())
    _add_paragraph(doc, f"Our ref: {OUR_REF}")
    _add_paragraph(doc, long_day(response.today))
    _add_paragraph(doc, SALUTATION)
    _add_run(_add_paragraph(doc), _clean(response.subject)).bold = True
    for text in response.opening():
        _add_paragraph(doc, _clean(text))
    for item in response.items:
        doc.add_heading(_clean(item.heading), level=2)
        _add_paragraph(doc, _clean(item.rec.text))
        for sp in item.rec.sub_points:
            _add_paragraph(doc, _clean(sp), style="List Bullet")
        if item.timescale_line():
            _add_paragraph(doc, _clean(item.timescale_line()))
        for text in item.answer():
            _add_paragraph(doc, _clean(text))
        if item.planned:
            add_table(
                doc,
                RESPONSE_HEADERS,
                [p.row() for p in item.planned],
                [1.3, 7.0, 4.0, 2.3, 2.4],
            )
        if item.gap:
            run = _add_run(_add_paragraph(doc), GAP)  # bold on yellow: not missed on a read-through
            run.bold = True
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    for text in response.closing():
        _add_paragraph(doc, _clean(text))
    _add_paragraph(doc, SIGN_OFF)
    _add_paragraph(doc)
    _add_paragraph(doc, _clean(response.signature()))
    return _saved(doc)


def _page_setup(doc, marking: str) -> None:  # python-docx Document
    """A4, 2 cm margins, the protective marking in header and footer, "Page X of Y"."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    for sec in doc.sections:
        sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
        sec.left_margin = sec.right_margin = Cm(2.0)
        sec.top_margin = sec.bottom_margin = Cm(2.0)
        head = sec.header.paragraphs[0]
        head.text = _clean(marking)
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        foot = sec.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        foot.add_run("Page ")
        _field(foot, "PAGE")
        foot.add_run(" of ")
        _field(foot, "NUMPAGES")
        sec.footer.add_paragraph(_clean(marking)).alignment = WD_ALIGN_PARAGRAPH.CENTER


def _field(paragraph, code: str) -> None:  # python-docx Paragraph
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (
        ("begin", None),
        (None, code),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == code:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {code} "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def _restart_numbering(doc) -> int:  # python-docx Document
    """A fresh numbering instance of the "List Number" list, so each list starts at 1."""
    numbering = doc.part.numbering_part.numbering_definitions._numbering
    style_num = doc.styles["List Number"].element.pPr.numPr.numId.val
    abstract_id = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId
