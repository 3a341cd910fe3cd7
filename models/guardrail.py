"""Safeguarding guardrail: the tracker is about services, not children.

A note that looks like it carries personal data is held back for the author to confirm or
rewrite. The patterns err towards asking: a false alarm costs one click, a leak costs more.
"""

from __future__ import annotations

import re

_CHECKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "a date of birth or age",
        re.compile(
            r"\b(?:d\.?o\.?b|born(?: on)?|date of birth)\b\W*\d|\baged? \d{1,2}\b|"
            r"\b\d{1,2} ?(?:years?|yrs?) old\b",
            re.IGNORECASE,
        ),
    ),
    (
        "a crime or incident reference",
        re.compile(
            r"\b(?:crime|incident|occurrence|log|cad|urn|ref(?:erence)?)\s*(?:no\.?|number|ref)?\s*[:#]?\s*"
            r"[A-Z]{0,4}[-/]?\d{2,}[-/]?\d+\b|\b\d{2}/\d{4,}/\d{2}\b|\b[A-Z]{2}-\d{6,}\b|"
            r"\b\d{2}[A-Z]{2}\d{7,}\b",  # a CPS unique reference number, e.g. 37SS1234523
            re.IGNORECASE,
        ),
    ),
    (
        "a phone number",
        re.compile(
            r"(?:\+44\s?7\d{3}|\b07\d{3})\s?\d{3}\s?\d{3}\b|\b0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b|"
            r"\+44\s?\(?0?\)?\s?[1-9]\d{1,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"
        ),
    ),
    ("an email address", re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")),
    (
        "a postcode",
        re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE),
    ),
)


def personal_data_findings(text: str | None) -> list[str]:
    """What in `text` looks like personal data, as phrases for the prompt ([] when clean)."""
    if not text:
        return []
    # Links are evidence, not personal data: don't let a URL's path trip the checks.
    scrubbed = re.sub(r"<?https?://\S+>?", " ", text)
    return [label for label, pattern in _CHECKS if pattern.search(scrubbed)]


def confirmation_prompt(findings: list[str], *, what: str = "note") -> str:
    listed = ", ".join(findings[:-1]) + (" and " if len(findings) > 1 else "") + findings[-1]
    return (
        f"This {what} looks like it contains {listed}. The tracker is about services, not "
        "children: rewrite it without personal details, or confirm it is safe to keep. "
        "Nothing has been saved yet."
    )
