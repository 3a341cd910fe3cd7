"""The commands for the paper's own wording: findings, the closing sections, and the
review of the draft's progress before a panel (leads only)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from conversation import forms
from conversation.commands import change, command
from conversation.grammar import Command, day_of, how, inspection_first, leading_ref
from conversation.outcomes import Outcome, Read
from models import service
from models.errors import UsageError
from models.paper.review import review_for
from models.parsing import parse_ref
from models.service.sections import section_choices
from models.tables import CLOSING_SECTIONS, Inspection, PaperSection

if TYPE_CHECKING:
    from conversation.ops.context import Deps

REC_WORD = re.compile(r"^([A-Za-z][\w-]*:)?(?:[Rr]|[Aa][Ff][Ii]|[Cc])\d+$")  # `R2`, `NCPI:AFI3`
SECTION_HEADS = {
    "improvement": PaperSection.IMPROVEMENT,
    "improvements": PaperSection.IMPROVEMENT,
    "improvement:": PaperSection.IMPROVEMENT,
    "findings": PaperSection.FINDINGS,
    "findings:": PaperSection.FINDINGS,
    "finding": PaperSection.FINDINGS,
}


@command("findings")
def findings(deps: Deps, cmd: Command, rest: str) -> Outcome:
    """`findings R2`: the form; `findings R2 <text>`: a findings paragraph added at the end;
    `findings R2 improvement <text>`: an improvement-required one."""
    ref, tail = leading_ref("findings", rest, want="recommendation")
    if not tail:
        with deps.db.read() as session:
            service.require_lead(session, cmd.actor, "write the paper's findings")
            r, paras = service.rec_paragraphs(session, rec=ref)
            code = session.get(Inspection, r.inspection_id).code
        return forms.findings(
            ref=f"{code}:{r.ref}",
            shown=f"{r.ref}",
            title=r.title,
            sections={s: [p.text for p in ps] for s, ps in paras.items()},
        )
    head, _, text = tail.partition(" ")
    section = SECTION_HEADS.get(head.lower())
    if section is None:
        section, text = PaperSection.FINDINGS, tail
    elif head.lower().startswith("improvement") and text.lower().startswith("required"):
        text = text[len("required") :].lstrip(" :")
    if not text.strip():
        raise how("findings", "The paragraph is missing.")
    return change(deps, cmd, "findings_add", rec=ref, section=str(section), text=text)


@command("paper")
def paper(deps: Deps, cmd: Command, rest: str) -> Outcome:
    """`paper`: the form of the closing sections (2 summary, 3 financial implications,
    4 other implications and risks, 5 chief officer conclusion); `paper financial <text>`:
    a paragraph added at the end of one. `paper NCPI …` names the inspection."""
    code, rest = inspection_first(deps, rest)
    if not rest:
        with deps.db.read() as session:
            service.require_lead(session, cmd.actor, "write the paper's closing sections")
            insp = service.get_inspection(session, code=code)
            paras = service.closing_paragraphs(session, inspection=insp.code)
        return forms.closing(
            inspection=insp.code,
            shown=insp.code,
            sections={s: [p.text for p in ps] for s, ps in paras.items()},
        )
    words = rest.split()
    for n in (4, 3, 2, 1):  # the longest section name that starts the text
        head = " ".join(words[:n])
        try:
            section = service.parse_section(head, among=CLOSING_SECTIONS)
        except UsageError:
            continue
        text = rest.split(None, n)[n] if len(words) > n else ""
        if not text.strip():
            raise how("paper", "The paragraph is missing.")
        return change(deps, cmd, "closing_add", inspection=code, section=str(section), text=text)
    raise how(
        "paper",
        f"`{words[0]}` is not a closing section: write {section_choices(CLOSING_SECTIONS)}.",
    )


@command("review")
def review(deps: Deps, cmd: Command, rest: str) -> Outcome:
    """`review [panel date]`: the draft's paragraphs to review, by recommendation (leads);
    `review R2 [panel date]`: the form for one recommendation."""
    inspection, rest = inspection_first(deps, rest)
    rec = None
    word, _, tail = rest.partition(" ")
    if REC_WORD.match(word):
        ref, rest = leading_ref("review", rest, want="recommendation")
        rec = parse_ref(ref, want="recommendation")
        inspection = inspection or (rec.inspection.upper() if rec.inspection else None)
    today = deps.clock.today()
    panel = day_of("review", rest, today) if rest.strip() else None
    with deps.db.read() as session:
        review = review_for(
            session,
            actor=cmd.actor,
            today=today,
            now=deps.clock.now(),
            panel=panel,
            inspection=inspection,
        )
    if rec is None:
        return Read("review", review, viewer=cmd.actor, lead=True)
    return forms.review(review, rec.item)
