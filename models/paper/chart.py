"""The RAG chart as a PNG: matplotlib's Agg canvas, no pyplot state."""

from __future__ import annotations

import io

from models.paper.document import RAG_COLOUR, RAG_LABEL, Paper
from models.paper.phrases import short_day
from models.service import Rag


def chart_png(paper: Paper) -> bytes:
    """A stacked bar per recommendation: its actions by RAG. Agg canvas, no pyplot state."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = paper.rag_table()
    labels = [ref for ref, _ in rows]
    fig = Figure(figsize=(7.5, 3.6), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    bottom = [0] * len(rows)
    for key in Rag.ORDER:
        values = [counts[key] for _, counts in rows]
        if not any(values):
            continue  # no colour in the legend without a value
        ax.bar(labels, values, bottom=bottom, color=RAG_COLOUR[key], label=RAG_LABEL[key])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("Actions")
    ax.set_title(f"Actions by RAG status per recommendation, as at {short_day(paper.as_at)}")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
