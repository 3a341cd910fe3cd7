"""The paper's two charts as PNGs: actions by RAG per recommendation, and open actions by RAG
at each panel so far (the trend). matplotlib's Agg canvas, no pyplot state. Neither names a
colour in its legend that has no value."""

from __future__ import annotations

import io

from models.paper.document import RAG_COLOUR, RAG_LABEL, Paper
from models.paper.phrases import short_day
from models.service import Rag

RAG_CHART_ALT = "Actions by RAG status per recommendation"
TREND_CHART_ALT = "Open actions by RAG status at each panel"


def chart_png(paper: Paper) -> bytes:
    """A stacked bar per recommendation: its actions by RAG. Agg canvas, no pyplot state."""
    rows = paper.rag_table()
    title = f"{RAG_CHART_ALT}, as at {short_day(paper.as_at)}"
    return _stacked([ref for ref, _ in rows], [c for _, c in rows], title, "Actions")


def trend_png(paper: Paper) -> bytes:
    """A stacked bar per panel so far (this paper's last): its open actions by RAG, as the
    tracker stood when that panel sat."""
    labels = [short_day(p.day) + (f"\n{p.paper_ref}" if p.paper_ref else "") for p in paper.trend]
    counts = [p.counts for p in paper.trend]
    return _stacked(labels, counts, f"{TREND_CHART_ALT} so far", "Open actions", totals=True)


def _stacked(
    labels: list[str],
    counts: list[dict[str, int]],
    title: str,
    ylabel: str,
    *,
    totals: bool = False,
) -> bytes:
    """Stacked bars by RAG, one per label; with `totals`, each bar's total above it (so a
    panel with nothing open reads 0, not a gap)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 3.6), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.bar(labels, [0] * len(labels))  # every label stands, even with nothing to stack
    bottom = [0] * len(labels)
    for key in Rag.ORDER:
        values = [c.get(key, 0) for c in counts]
        if not any(values):
            continue  # no colour in the legend without a value
        ax.bar(labels, values, bottom=bottom, color=RAG_COLOUR[key], label=RAG_LABEL[key])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    if totals:
        for x, total in enumerate(bottom):
            ax.annotate(str(total), (x, total), ha="center", va="bottom", fontsize="small")
        ax.set_ylim(top=max([*bottom, 1]) * 1.15)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.yaxis.get_major_locator().set_params(integer=True)
    if any(bottom):
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
