"""A recommendation's lead-in: the words that introduce its sub-points ("This should include:",
"This is so its workforce knows:", "… so it can:"). AP23/07 prints it at the end of the
recommendation's text, just before the sub-points, so the tracker keeps it there: the end of
`Recommendation.text`. Both importers (the workbook's Text and Sub-points cells, a report's
own text) read it here, so it is never lost and never printed as a sub-point."""

from __future__ import annotations

import re

BULLET = re.compile(r"^\s*[-•*·▪◦●–]\s+")  # a bulleted line in a Text cell
POINT = re.compile(r"^\s*(?:[-•*·]|\d+[.)])\s+")  # a marked line in a Sub-points cell
MAX_LEAD_IN = 300  # a lead-in is a short sentence, not a paragraph


def is_lead_in(line: str) -> bool:
    """A short line, not itself a bullet, ending with a colon: "This should include:"."""
    s = line.strip()
    return s.endswith(":") and len(s) <= MAX_LEAD_IN and not BULLET.match(line)


def with_lead_in(text: str, lead: str) -> str:
    """The text with its lead-in at the end (once: a text already ending with it is kept)."""
    text, lead = text.rstrip(), " ".join(lead.split())
    if not lead or text.endswith(lead):
        return text
    return f"{text} {lead}".strip()


def split_text(text: str | None, cell: str | None) -> tuple[str | None, list[str] | None]:
    """A workbook row's Text and Sub-points cells as the tracker keeps them: bulleted lines
    at the end of the Text are sub-points (before the cell's), and unmarked lead-in lines at
    the top of the Sub-points cell end the text. `cell` None (no Sub-points column) gives
    None (the sub-points are left as tracked) unless the Text carried bullets; "" clears."""
    points: list[str] | None = None
    if text:
        lines = text.split("\n")
        first = next((i for i, line in enumerate(lines) if i and BULLET.match(line)), None)
        if first is not None:
            text = "\n".join(lines[:first]).rstrip()
            points = [p for p in (BULLET.sub("", x).strip() for x in lines[first:]) if p]
    if cell is not None:
        lines = [x for x in cell.split("\n") if x.strip()]
        while text and lines and not POINT.match(lines[0]) and is_lead_in(lines[0]):
            text = with_lead_in(text, lines.pop(0))
        points = (points or []) + [p for p in (POINT.sub("", x).strip() for x in lines) if p]
    return text, points
