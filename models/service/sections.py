"""The paper's sections as people name them: each section's label, and the words a workbook
or a command may use for it ("Improvement required", "improvements", "3")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from models.errors import UsageError
from models.tables import PaperSection

SECTION_LABEL = {
    PaperSection.FINDINGS: "Findings",
    PaperSection.IMPROVEMENT: "Improvement required",
    PaperSection.SUMMARY: "Summary",
    PaperSection.FINANCIAL: "Financial implications",
    PaperSection.OTHER: "Other implications and risks",
    PaperSection.CONCLUSION: "Chief officer conclusion",
}
# How a workbook or a command may name a section (compared with spaces and case ignored).
_SECTION_WORDS = {
    PaperSection.FINDINGS: (
        "findings",
        "finding",
        "response",
        "findings and response",
        "findings of the re-inspection",
    ),
    PaperSection.IMPROVEMENT: (
        "improvement required",
        "improvements required",
        "improvement",
        "improvements",
        "further improvement",
        "further improvements",
    ),
    PaperSection.SUMMARY: ("summary", "2", "2 summary"),
    PaperSection.FINANCIAL: (
        "financial implications",
        "financial",
        "finance",
        "3",
        "3 financial implications",
    ),
    PaperSection.OTHER: (
        "other implications and risks",
        "other implications",
        "risks",
        "other",
        "4",
        "4 other implications and risks",
    ),
    PaperSection.CONCLUSION: (
        "chief officer conclusion",
        "conclusion",
        "chief officers conclusion",
        "5",
        "5 chief officer conclusion",
    ),
}


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


_BY_WORD = {_norm(w): s for s, words in _SECTION_WORDS.items() for w in words}


def section_choices(sections: Sequence[PaperSection]) -> str:
    labels = [SECTION_LABEL[s].lower() for s in sections]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


def parse_section(text: str | None, *, among: Sequence[PaperSection]) -> PaperSection:
    """A section named as a reader would ("Improvement required", "improvements", "3")."""
    found = _BY_WORD.get(_norm(text or ""))
    if found is None or found not in among:
        raise UsageError(f"write {section_choices(among)}")
    return found
