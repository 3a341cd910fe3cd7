"""The draft update paper for the Accountability and Performance Panel.

`build` gathers everything from the tracker into a `Paper` (`document`: its sections and the
sentences the paper writes itself; `trend`: open actions by RAG at each panel so far, from
history); `markdown` and `docx` turn it into the shape of a real panel paper (AP23/07);
`chart` draws the RAG chart and the trend chart; `files` writes them.
`response` gathers the PCC's s.55 comments on the report (the seed's opening letter), which
the same `markdown` and `docx` writers render.
python-docx and matplotlib are imported only in `docx` and `chart`.
"""

from models.paper.build import build_paper
from models.paper.chart import chart_png, trend_png
from models.paper.document import Paper, Section
from models.paper.docx import render_docx, render_response_docx
from models.paper.files import (
    chart_path_for,
    default_filename,
    response_filename,
    trend_path_for,
    write_paper,
    write_response,
)
from models.paper.markdown import render_markdown, render_response_markdown
from models.paper.response import GAP, Response, build_response

__all__ = [
    "GAP",
    "Paper",
    "Response",
    "Section",
    "build_paper",
    "build_response",
    "chart_path_for",
    "chart_png",
    "default_filename",
    "render_docx",
    "render_markdown",
    "render_response_docx",
    "render_response_markdown",
    "response_filename",
    "trend_path_for",
    "trend_png",
    "write_paper",
    "write_response",
]
