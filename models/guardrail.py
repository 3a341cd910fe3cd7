"""Safeguarding guardrail: the tracker is about services, not children.

A note that looks like it carries personal data is held back for the author to confirm or
rewrite. The patterns err towards asking: a false alarm costs one click, a leak costs more.

Text is normalised before it is checked (NFKC, so full-width `０７７００` reads as `07700`;
invisible characters removed; Unicode dashes as `-`), so a pasted or disguised detail is
seen as what it looks like. Links and panel paper references (`AP23/07`) are exempt.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width and other invisible characters that can sit inside a word or number.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63]")
# Links are evidence, not personal data; a panel paper reference (AP23/07) is not a crime
# reference. Neither is checked.
_EXEMPT = re.compile(r"<?(?:https?://|www\.)\S+>?|\b[A-Z]{2}\d{2}/\d{1,3}\b(?![/\d])")

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_AGE_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen)"
)
_AGE = rf"(?:\d{{1,2}}|{_AGE_WORD})"
_SEP = r"[\s.-]?"  # between groups of a phone number: space, dot or hyphen
_START = r"(?:^|(?<=[^\w.]))"  # where a number may begin: not inside a word or a dotted run

_CHECKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "a date of birth or age",
        re.compile(
            # DOB 3/4/12, born on the 3rd of April 2015, birthday 03/04/2015, born in May
            rf"\b(?:d\.?o\.?b|born|date of birth|birth ?date|birthday)\b\W*"
            rf"(?:(?:on|in|is|was|the|of)\s+)*(?:\d|{_MONTH}\b)|"
            # Jayden (03/04/2015): a bare full date in brackets, as written after a name
            r"\(\s*\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\s*\)|"
            # aged 14, age: 14, age fourteen
            rf"\baged?\s*[:=]?\s*{_AGE}\b|"
            # a 14 year old, a 9-year-old, a fourteen-year-old, 9yo, 9 y/o
            rf"\b{_AGE}\s?-?\s?(?:years?|yrs?)\s?-?\s?old\b|\b\d{{1,2}}\s?y/?o\b",
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
            # 07700 900123, (07700) 900123, 07700.900.123, 01473 613500
            rf"{_START}\(?0\d{{2,4}}\)?{_SEP}\d{{3,4}}{_SEP}\d{{3,4}}(?![\w])|"
            # +44 7700 900123, 0044 7700 900123, +44 (0)1473 613500
            rf"(?:\+|{_START}00)\s?44\s?(?:\(0\)\s?|0\s?)?[1-9]\d{{1,4}}{_SEP}\d{{3,4}}{_SEP}"
            rf"\d{{3,4}}(?![\w])"
        ),
    ),
    (
        "an email address",
        re.compile(
            r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b|"
            # jane.smith(at)example.org, jane [at] example [dot] org, jane at example dot org
            r"\b[\w.+-]+\s*[(\[{]\s*at\s*[)\]}]\s*[\w-]+(?:\s*(?:\.|[(\[{]\s*dot\s*[)\]}])\s*[\w-]+)+|"
            r"\b[\w.+-]+\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)+\b",
            re.IGNORECASE,
        ),
    ),
    (
        "a postcode",
        re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?(?:\s*|-)\d[A-Z]{2}\b", re.IGNORECASE),
    ),
)


def normalise(text: str) -> str:
    """`text` as it reads: compatibility forms folded (NFKC), invisible characters removed,
    Unicode dashes as `-`."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return _DASHES.sub("-", text)


def personal_data_findings(text: str | None) -> list[str]:
    """What in `text` looks like personal data, as phrases for the prompt ([] when clean)."""
    if not text:
        return []
    scrubbed = _EXEMPT.sub(" ", normalise(text))
    return [label for label, pattern in _CHECKS if pattern.search(scrubbed)]


def confirmation_prompt(findings: list[str], *, what: str = "note") -> str:
    listed = ", ".join(findings[:-1]) + (" and " if len(findings) > 1 else "") + findings[-1]
    return (
        f"This {what} looks like it contains {listed}. The tracker is about services, not "
        "children: rewrite it without personal details, or confirm it is safe to keep. "
        "Nothing has been saved yet."
    )
