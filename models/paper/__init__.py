"""The draft update paper for the Accountability and Performance Panel.

`build` gathers everything from the tracker into a `Paper`; `markdown` and `docx` turn it into
the shape of a real panel paper (AP23/07); `chart` draws the RAG chart; `files` writes them.
python-docx and matplotlib are imported only in `docx` and `chart`.
"""

from models.paper.build import Paper, Section, build_paper
from models.paper.chart import chart_png
from models.paper.docx import render_docx
from models.paper.files import chart_path_for, default_filename, write_paper
from models.paper.markdown import render_markdown

__all__ = [
    "Paper",
    "Section",
    "build_paper",
    "chart_path_for",
    "chart_png",
    "default_filename",
    "render_docx",
    "render_markdown",
    "write_paper",
]
