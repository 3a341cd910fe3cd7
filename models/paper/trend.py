"""The trend: open actions by RAG at each panel so far, each panel's counts as the tracker
stood when it sat (rebuilt from history by `models.service.asof`), and this paper's own
panel as the paper states it (its summary: today's tracker, or the past panel's as it stood). Pure Python: the chart is drawn in `models.paper.chart`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from models.service import Rag, Summary
from models.service.asof import open_by_rag_as_they_stood
from models.tables import PanelMeeting


@dataclass(frozen=True)
class TrendPoint:
    """One panel: its day and paper, and its open actions by RAG (every RAG, zeros too)."""

    day: date
    paper_ref: str | None
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def panel_trend(
    session: Session,
    *,
    panels: list[PanelMeeting],
    target: PanelMeeting,
    stated: Summary,
    now: datetime,
    inspection: str,
) -> list[TrendPoint]:
    """Each panel up to `target` that has sat by `now`, as it stood then, and `target` as
    `stated` (the paper's own summary). A panel still to come before `target` has no counts
    yet and is left out. A fixed number of queries, however many panels."""
    sat = [p for p in panels if p.day < target.day and p.id != target.id and p.starts_at <= now]
    then = open_by_rag_as_they_stood(
        session, instants=[(p.starts_at, p.day) for p in sat], inspection=inspection
    )
    points = [TrendPoint(p.day, p.paper_ref, counts) for p, counts in zip(sat, then, strict=True)]
    return [*points, TrendPoint(target.day, target.paper_ref, _open_by_rag(stated))]


def _open_by_rag(s: Summary) -> dict[str, int]:
    counts = dict.fromkeys(Rag.ORDER, 0)
    for r in s.recs:
        for a in r.open_actions:
            if a.rag in counts:
                counts[a.rag] += 1
    return counts
