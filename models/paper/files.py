"""Writing the paper and the s.55 response to files, and their default names."""

from __future__ import annotations

import re
from pathlib import Path

from models.errors import UsageError
from models.paper.chart import chart_png, trend_png
from models.paper.document import Paper
from models.paper.docx import render_docx, render_response_docx
from models.paper.markdown import render_markdown, render_response_markdown
from models.paper.response import Response
from models.settings import MARKING


def chart_path_for(out: Path) -> Path:
    return out.with_name(f"{out.stem}-rag-chart.png")


def trend_path_for(out: Path) -> Path:
    return out.with_name(f"{out.stem}-trend-chart.png")


def write_paper(paper: Paper, out: Path, *, marking: str = MARKING) -> list[Path]:
    """Write the paper to `out` (.docx or .md; the .md gets its two charts' PNGs beside it),
    with its protective marking."""
    suffix = out.suffix.lower()
    if suffix not in (".docx", ".md"):
        raise UsageError(f"Write the paper to a .docx or .md file, not {out.name}.")
    chart, trend = chart_png(paper), trend_png(paper)
    if suffix == ".docx":
        out.write_bytes(render_docx(paper, chart=chart, trend=trend, marking=marking))
        return [out]
    png, trend_file = chart_path_for(out), trend_path_for(out)
    png.write_bytes(chart)
    trend_file.write_bytes(trend)
    text = render_markdown(paper, chart_file=png.name, trend_file=trend_file.name, marking=marking)
    out.write_text(text, encoding="utf-8")
    return [out, png, trend_file]


def default_filename(paper: Paper, suffix: str = ".docx") -> str:
    ref = re.sub(r"[^A-Za-z0-9]+", "-", paper.paper_ref or "").strip("-")
    return (
        f"{paper.inspection_code}-panel-paper-{paper.panel_day.isoformat()}"
        + (f"-{ref}" if ref else "")
        + suffix
    )


def write_response(response: Response, out: Path, *, marking: str = MARKING) -> list[Path]:
    """Write the s.55 response letter to `out` (.docx or .md)."""
    suffix = out.suffix.lower()
    if suffix == ".docx":
        out.write_bytes(render_response_docx(response, marking=marking))
        return [out]
    if suffix == ".md":
        out.write_text(render_response_markdown(response, marking=marking), encoding="utf-8")
        return [out]
    raise UsageError(f"Write the response to a .docx or .md file, not {out.name}.")


def response_filename(response: Response, suffix: str = ".docx") -> str:
    return f"{response.inspection_code}-s55-response-{response.today.isoformat()}{suffix}"
