"""The paper and the s.55 response letter as Markdown, the same structure as their Word files."""

from __future__ import annotations

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


def _closing(number: int, paras: list[str]) -> list[str]:
    out: list[str] = []
    for i, text in enumerate(paras, first_number(number)):
        first, rest = paragraph_parts(text)
        out += [f"{number}.{i} {_md_text(first)}", ""]
        for kind, line in rest:
            out += [f"- {_md_text(line)}" if kind == "bullet" else _md_text(line), ""]
    return out


def _marked(out: list[str], marking: str) -> str:
    """The document with its protective marking on the first line, as Word's header has it."""
    return "\n".join([f"**{_md_text(marking)}**", "", *out]).rstrip() + "\n"


def render_markdown(
    paper: Paper,
    *,
    chart_file: str | None = None,
    trend_file: str | None = None,
    marking: str = MARKING,
) -> str:
    """The paper as Markdown: the charts linked by file name (beside it), the marking atop."""
    out: list[str] = []
    for label, value in header_lines(paper):
        out.append(f"**{label}:** {_md_text(value)}  ")
    out.append("")
    out += ["## SUMMARY", ""]
    out += [f"{i}. {_md_text(p)}" for i, p in enumerate(paper.background_paragraphs(), 1)]
    out += ["", "## RECOMMENDATION", ""]
    out += [f"{i}. {_md_text(p)}" for i, p in enumerate(paper.recommendation_to_panel(), 1)]
    out += ["", f"## {paper.findings_heading}", ""]
    n = first_number(1) - 1

    def para(text: str) -> str:
        nonlocal n
        n += 1
        return f"1.{n} {_md_text(text)}"

    def written(text: str) -> list[str]:
        first, rest = paragraph_parts(text)
        lines = [para(first), ""]
        for kind, line in rest:
            lines += [f"- {_md_text(line)}" if kind == "bullet" else _md_text(line), ""]
        return lines

    for p in paper.intro_paragraphs():
        out += [para(p), ""]
    out += _md_table(OVERVIEW_HEADERS, overview_rows(paper)) + [""]
    if chart_file:
        out += [f"![{RAG_CHART_ALT}]({chart_file})", ""]
    if trend_file:
        out += [f"![{TREND_CHART_ALT}]({trend_file})", ""]
    for group, s in paper.grouped():
        if group:
            out += [f"### {group}", ""]
        out += [f"### {s.heading}", "", _md_text(s.rec.text), ""]
        if s.rec.sub_points:
            out += [f"- {_md_text(sp)}" for sp in s.rec.sub_points] + [""]
        if s.findings:
            out += [f"#### {_md_text(paper.findings_subheading)}", ""]
            for text in s.findings:
                out += written(text)
        if show_progress(s):
            out += ["#### Progress since the last panel", ""]
            if s.progress_paragraphs():
                for text in s.progress_paragraphs():
                    out += [para(text), ""]
            else:
                out += [para("No update has been recorded since the last panel."), ""]
        if s.improvement or s.open_actions:
            out += [f"#### {improvement_heading(s)}", ""]
            for text in s.improvement:
                out += written(text)
        if s.open_actions:
            out += _md_table(ACTION_HEADERS, [action_row(a) for a in s.open_actions]) + [""]
    out += ["## 2. SUMMARY", ""]
    out += _closing(2, summary_text(paper))
    for i, title, paras, hint in closing_sections(paper):
        out += [f"## {i}. {title}", ""]
        out += _closing(i, paras) if paras else [f"{i}.{first_number(i)} {PLACEHOLDER} {hint}", ""]
    return _marked(out, marking)


def render_response_markdown(response: Response, *, marking: str = MARKING) -> str:
    """The s.55 response letter as Markdown, the same structure as its Word file."""
    out = [f"{_md_text(line)}  " for line in response.address()]
    out += ["", f"Our ref: {_md_text(OUR_REF)}", "", long_day(response.today), ""]
    out += [SALUTATION, "", f"**{_md_text(response.subject)}**", ""]
    for p in response.opening():
        out += [_md_text(p), ""]
    for item in response.items:
        out += [f"## {_md_text(item.heading)}", "", _md_text(item.rec.text), ""]
        if item.rec.sub_points:
            out += [f"- {_md_text(sp)}" for sp in item.rec.sub_points] + [""]
        if item.timescale_line():
            out += [_md_text(item.timescale_line()), ""]
        for p in item.answer():
            out += [_md_text(p), ""]
        if item.planned:
            out += _md_table(RESPONSE_HEADERS, [p.row() for p in item.planned]) + [""]
        if item.gap:
            out += [f"**{GAP}**", ""]
    for p in response.closing():
        out += [_md_text(p), ""]
    out += [SIGN_OFF, "", "", _md_text(response.signature())]
    return _marked(out, marking)
