"""The paper's own wording: dated, attributed paragraphs under each recommendation (findings,
improvement required) and in the paper's closing sections (summary, financial implications,
other implications and risks, chief officer conclusion).

A section is written as a whole, in order: `replace_paragraphs` compares the new paragraphs
with the stored ones position by position and writes a history row for each paragraph added,
changed or removed (field `paper_<section>`, the old text before, the new after), so editing
the paper's wording never loses a version. Paper text is published: one that looks like it
carries personal data is refused, not held for confirmation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.errors import UsageError
from models.guardrail import personal_data_findings
from models.service.access import require_lead
from models.service.audit import record
from models.service.lookup import get_inspection, get_recommendation
from models.service.members import name_of
from models.service.opening import open_for_lead
from models.service.sections import SECTION_LABEL, section_choices
from models.tables import (
    CLOSING_SECTIONS,
    REC_SECTIONS,
    PaperSection,
    Paragraph,
    Recommendation,
    Source,
)

MAX_PARAGRAPH = 3000  # what one Slack text field holds


@dataclass(frozen=True)
class Written:
    """A paragraph as given: its text, the day it was written and who wrote it."""

    text: str
    written_on: date
    author: str


def check_paragraph(text: str) -> str:
    """The paragraph as it will be printed, or UsageError saying what to change."""
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    if not text:
        raise UsageError("is empty")
    if len(text) > MAX_PARAGRAPH:
        raise UsageError(f"is {len(text):,} characters; keep a paragraph under {MAX_PARAGRAPH:,}")
    found = personal_data_findings(text)
    if found:
        raise UsageError(
            f"looks like it carries personal data ({', '.join(found)}); the paper is published "
            "and about services, not children: rewrite it"
        )
    return text


def split_paragraphs(text: str | None) -> list[str]:
    """Typed text → paragraphs: a blank line between them (single line breaks stay inside)."""
    if not text:
        return []
    return [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


# Called as log(field=, before=, after=, recommendation_id=, position=) for each paragraph
# added, changed or removed (position: its place in the section, from 1).
Log = Callable[..., object]


def stored(
    session: Session, *, inspection_id: int
) -> dict[tuple[int | None, str], list[Paragraph]]:
    """Every paragraph of an inspection's paper, by (recommendation id or None, section), in
    order: one query."""
    out: dict[tuple[int | None, str], list[Paragraph]] = defaultdict(list)
    for p in session.exec(
        select(Paragraph)
        .where(Paragraph.inspection_id == inspection_id)
        .order_by(Paragraph.recommendation_id, Paragraph.section, Paragraph.position)
    ).all():
        out[(p.recommendation_id, p.section)].append(p)
    return out


def replace_paragraphs(
    session: Session,
    *,
    inspection_id: int,
    recommendation_id: int | None,
    section: PaperSection,
    new: Sequence[Written],
    log: Log,
    old: list[Paragraph] | None = None,
) -> int:
    """Make the section hold `new`, in order; `log` writes one history row per paragraph
    added, changed or removed. Returns how many paragraphs changed."""
    if old is None:
        old = list(
            session.exec(
                select(Paragraph)
                .where(
                    Paragraph.inspection_id == inspection_id,
                    Paragraph.recommendation_id == recommendation_id
                    if recommendation_id is not None
                    else col(Paragraph.recommendation_id).is_(None),
                    Paragraph.section == section,
                )
                .order_by(Paragraph.position)
            ).all()
        )
    field = f"paper_{section}"
    changed = 0
    for i, w in enumerate(new, start=1):
        p = old[i - 1] if i <= len(old) else None
        if p is None:
            session.add(
                Paragraph(
                    inspection_id=inspection_id,
                    recommendation_id=recommendation_id,
                    section=section,
                    position=i,
                    text=w.text,
                    written_on=w.written_on,
                    author=w.author,
                )
            )
            log(
                field=field,
                before=None,
                after=w.text,
                recommendation_id=recommendation_id,
                position=i,
            )
            changed += 1
        elif (p.text, p.written_on, p.author) != (w.text, w.written_on, w.author):
            log(
                field=field,
                before=p.text,
                after=w.text,
                recommendation_id=recommendation_id,
                position=i,
            )
            p.text, p.written_on, p.author = w.text, w.written_on, w.author
            session.add(p)
            changed += 1
    for p in old[len(new) :]:
        log(
            field=field,
            before=p.text,
            after=None,
            recommendation_id=recommendation_id,
            position=p.position,
        )
        session.delete(p)
        changed += 1
    session.flush()
    return changed


def _checked(texts: Sequence[str], section: PaperSection) -> list[str]:
    out = []
    for i, t in enumerate(texts, start=1):
        try:
            out.append(check_paragraph(t))
        except UsageError as e:
            raise UsageError(f"{SECTION_LABEL[section]}, paragraph {i} {e.message}.") from None
    return out


def _logger(
    session: Session, *, inspection_id: int, actor: str, now: datetime, source: Source
) -> Log:
    def log(*, position: int, **kw: object) -> None:
        record(session, inspection_id=inspection_id, actor=actor, now=now, source=source, **kw)

    return log


def rec_paragraphs(
    session: Session, *, rec: str, inspection: str | None = None
) -> tuple[Recommendation, dict[PaperSection, list[Paragraph]]]:
    """A recommendation and its findings and improvement-required paragraphs, in order."""
    r = get_recommendation(session, ref=rec, inspection=inspection)
    have = stored(session, inspection_id=r.inspection_id)
    return r, {s: have.get((r.id, s), []) for s in REC_SECTIONS}


def write_findings(
    session: Session,
    *,
    rec: str,
    sections: dict[PaperSection, Sequence[str]],
    actor: str,
    now: datetime,
    today: date,
    source: Source,
    inspection: str | None = None,
) -> tuple[Recommendation, int]:
    """A lead rewrites a recommendation's findings and/or improvement required (each the
    whole section, in order; an empty list clears it). New or reworded paragraphs are dated
    today and attributed to the lead by name; the rest keep their date and author."""
    doing = "write the paper's findings"
    r, _ = open_for_lead(session, get_recommendation, rec, inspection, actor=actor, doing=doing)
    return r, _write(
        session,
        inspection_id=r.inspection_id,
        recommendation_id=r.id,
        sections=sections,
        allowed=REC_SECTIONS,
        actor=actor,
        now=now,
        today=today,
        source=source,
    )


def add_finding(
    session: Session,
    *,
    rec: str,
    section: PaperSection,
    text: str,
    actor: str,
    now: datetime,
    today: date,
    source: Source,
    inspection: str | None = None,
) -> tuple[Recommendation, int]:
    """A lead adds one paragraph at the end of a recommendation's section; returns its
    number within the section."""
    r, have = rec_paragraphs(session, rec=rec, inspection=inspection)
    texts = [p.text for p in have[section]] + [text]
    write_findings(
        session,
        rec=rec,
        sections={section: texts},
        actor=actor,
        now=now,
        today=today,
        source=source,
        inspection=inspection,
    )
    return r, len(texts)


def add_closing(
    session: Session,
    *,
    section: PaperSection,
    text: str,
    actor: str,
    now: datetime,
    today: date,
    source: Source,
    inspection: str | None = None,
) -> int:
    """A lead adds one paragraph at the end of a closing section; returns its number."""
    texts = [p.text for p in closing_paragraphs(session, inspection=inspection)[section]]
    texts.append(text)
    write_closing(
        session,
        sections={section: texts},
        actor=actor,
        now=now,
        today=today,
        source=source,
        inspection=inspection,
    )
    return len(texts)


def closing_paragraphs(
    session: Session, *, inspection: str | None = None
) -> dict[PaperSection, list[Paragraph]]:
    insp = get_inspection(session, code=inspection)
    have = stored(session, inspection_id=insp.id)
    return {s: have.get((None, s), []) for s in CLOSING_SECTIONS}


def write_closing(
    session: Session,
    *,
    sections: dict[PaperSection, Sequence[str]],
    actor: str,
    now: datetime,
    today: date,
    source: Source,
    inspection: str | None = None,
) -> int:
    """A lead writes the paper's closing sections (summary, financial implications, other
    implications and risks, chief officer conclusion); they carry forward to later papers."""
    require_lead(session, actor, "write the paper's closing sections")
    insp = get_inspection(session, code=inspection)
    return _write(
        session,
        inspection_id=insp.id,
        recommendation_id=None,
        sections=sections,
        allowed=CLOSING_SECTIONS,
        actor=actor,
        now=now,
        today=today,
        source=source,
    )


def _write(
    session: Session,
    *,
    inspection_id: int,
    recommendation_id: int | None,
    sections: dict[PaperSection, Sequence[str]],
    allowed: Sequence[PaperSection],
    actor: str,
    now: datetime,
    today: date,
    source: Source,
) -> int:
    have = stored(session, inspection_id=inspection_id)
    writer = name_of(session, actor)  # the paper's wording records a person by name
    log = _logger(session, inspection_id=inspection_id, actor=actor, now=now, source=source)
    changed = 0
    for section, texts in sections.items():
        if section not in allowed:
            raise UsageError(f"Write {section_choices(allowed)}.")
        old = have.get((recommendation_id, section), [])
        # a paragraph kept word for word keeps its date and author, wherever it now stands
        kept = {p.text: p for p in old}
        new = []
        for text in _checked(texts, section):
            p = kept.get(text)
            new.append(
                Written(
                    text=text,
                    written_on=p.written_on if p else today,
                    author=p.author if p else writer,
                )
            )
        changed += replace_paragraphs(
            session,
            inspection_id=inspection_id,
            recommendation_id=recommendation_id,
            section=section,
            new=new,
            log=log,
            old=old,
        )
    return changed
