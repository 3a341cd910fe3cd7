"""The `/ncpi` command for the paper's own wording: findings (lead only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.common import Command, _change, _how, _ref
from bot.reply import Reply
from bot.views.modals import findings_modal
from models import service
from models.tables import Inspection, PaperSection

if TYPE_CHECKING:
    from bot.deps import Deps

SECTION_HEADS = {
    "improvement": PaperSection.IMPROVEMENT,
    "improvements": PaperSection.IMPROVEMENT,
    "improvement:": PaperSection.IMPROVEMENT,
    "findings": PaperSection.FINDINGS,
    "findings:": PaperSection.FINDINGS,
    "finding": PaperSection.FINDINGS,
}


def _findings(deps: Deps, cmd: Command, rest: str) -> Reply:
    """`findings R2`: the form; `findings R2 <text>`: a findings paragraph added at the end;
    `findings R2 improvement <text>`: an improvement-required one."""
    ref, tail = _ref("findings", rest, want="recommendation")
    if not tail:
        with deps.db.read() as session:
            service.require_lead(session, cmd.actor, "write the paper's findings")
            r, paras = service.rec_paragraphs(session, rec=ref)
            code = session.get(Inspection, r.inspection_id).code
            view = findings_modal(
                ref=f"{code}:{r.ref}",
                shown=f"{r.ref}",
                title=r.title,
                sections={s: [p.text for p in ps] for s, ps in paras.items()},
            )
        return Reply(text=f"Opening the paper wording for {r.ref}", modal=view)
    head, _, text = tail.partition(" ")
    section = SECTION_HEADS.get(head.lower())
    if section is None:
        section, text = PaperSection.FINDINGS, tail
    elif head.lower().startswith("improvement") and text.lower().startswith("required"):
        text = text[len("required") :].lstrip(" :")
    if not text.strip():
        raise _how("findings", "The paragraph is missing.")
    return _change(deps, cmd, "findings_add", rec=ref, section=str(section), text=text)
