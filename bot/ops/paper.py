"""Operations on the paper's own wording: a recommendation's findings and improvement
required, and the paper's closing sections (a lead adds a paragraph, or rewrites the
sections from the form)."""

from __future__ import annotations

from bot.ops.context import Ctx, op
from bot.reply import Reply
from bot.views.common import escape
from bot.views.tracker import done_blocks
from models import service
from models.tables import PaperSection
from models.wording import plural


@op("findings_add")
def findings_add(c: Ctx, *, rec: str, section: str, text: str) -> Reply:
    r, n = service.add_finding(
        c.session,
        rec=rec,
        section=PaperSection(section),
        text=text,
        actor=c.actor,
        now=c.now,
        today=c.today,
        source=c.source,
    )
    label = service.SECTION_LABEL[PaperSection(section)].lower()
    return Reply(
        text=f"{r.ref}: {label} paragraph {n} added",
        blocks=done_blocks(
            f"✔︎ *{r.ref}* {escape(r.title)} — {label}, paragraph {n} added, recorded "
            f"{c.when()} by you.",
            detail="It goes into the next draft paper. `/ncpi findings "
            f"{r.ref}` opens the form to edit every paragraph.",
        ),
    )


@op("findings_set")
def findings_set(c: Ctx, *, rec: str, findings: list[str], improvement: list[str]) -> Reply:
    r, changed = service.write_findings(
        c.session,
        rec=rec,
        sections={PaperSection.FINDINGS: findings, PaperSection.IMPROVEMENT: improvement},
        actor=c.actor,
        now=c.now,
        today=c.today,
        source=c.source,
    )
    what = f"{plural(changed, 'paragraph')} changed" if changed else "nothing changed"
    return Reply(
        text=f"{r.ref}: {what}",
        blocks=done_blocks(
            f"✔︎ *{r.ref}* {escape(r.title)} — paper wording saved ({what}), recorded "
            f"{c.when()} by you.",
            detail="The history keeps every earlier version.",
        ),
    )


@op("closing_add")
def closing_add(c: Ctx, *, inspection: str | None, section: str, text: str) -> Reply:
    n = service.add_closing(
        c.session,
        section=PaperSection(section),
        text=text,
        actor=c.actor,
        now=c.now,
        today=c.today,
        source=c.source,
        inspection=inspection,
    )
    label = service.SECTION_LABEL[PaperSection(section)]
    return Reply(
        text=f"{label}: paragraph {n} added",
        blocks=done_blocks(
            f"✔︎ *{label}* — paragraph {n} added, recorded {c.when()} by you.",
            detail="It goes into the next draft paper and every later one until rewritten. "
            "`/ncpi paper` opens the form to edit every closing section.",
        ),
    )


@op("closing_set")
def closing_set(
    c: Ctx,
    *,
    inspection: str | None,
    summary: list[str],
    financial: list[str],
    other: list[str],
    conclusion: list[str],
) -> Reply:
    changed = service.write_closing(
        c.session,
        sections={
            PaperSection.SUMMARY: summary,
            PaperSection.FINANCIAL: financial,
            PaperSection.OTHER: other,
            PaperSection.CONCLUSION: conclusion,
        },
        actor=c.actor,
        now=c.now,
        today=c.today,
        source=c.source,
        inspection=inspection,
    )
    what = f"{plural(changed, 'paragraph')} changed" if changed else "nothing changed"
    return Reply(
        text=f"Closing sections: {what}",
        blocks=done_blocks(
            f"✔︎ *Closing sections* — paper wording saved ({what}), recorded {c.when()} by you.",
            detail="The history keeps every earlier version.",
        ),
    )
