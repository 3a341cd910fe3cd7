"""Operations on the paper's own wording: a recommendation's findings and improvement
required, and the paper's closing sections (a lead adds a paragraph, or rewrites the
sections from the form), and a lead's review of the draft's progress before a panel."""

from __future__ import annotations

from conversation.ops.context import Ctx, op
from conversation.outcomes import Done
from conversation.said import Code
from models import service
from models.paper.review import Choice, apply_review
from models.tables import PaperSection
from models.wording import panel_name, plural


@op("findings_add")
def findings_add(c: Ctx, *, rec: str, section: str, text: str) -> Done:
    r, n = service.add_finding(
        c.session,
        rec=rec,
        section=PaperSection(section),
        text=text,
        today=c.today,
        **c.by,
    )
    label = service.SECTION_LABEL[PaperSection(section)].lower()
    return Done(
        "findings_add",
        r.ref,
        (f"{label}, paragraph {n} added",),
        c.when(),
        title=r.title,
        short=(f"{r.ref}: {label} paragraph {n} added",),
        detail=(
            "It goes into the next draft paper. ",
            Code(f"/ncpi findings {r.ref}"),
            " opens the form to edit every paragraph.",
        ),
    )


@op("findings_set")
def findings_set(c: Ctx, *, rec: str, findings: list[str], improvement: list[str]) -> Done:
    r, changed = service.write_findings(
        c.session,
        rec=rec,
        sections={PaperSection.FINDINGS: findings, PaperSection.IMPROVEMENT: improvement},
        today=c.today,
        **c.by,
    )
    what = f"{plural(changed, 'paragraph')} changed" if changed else "nothing changed"
    return Done(
        "findings_set",
        r.ref,
        (f"paper wording saved ({what})",),
        c.when(),
        title=r.title,
        short=(f"{r.ref}: {what}",),
        detail=("The history keeps every earlier version.",),
    )


@op("closing_add")
def closing_add(c: Ctx, *, inspection: str | None, section: str, text: str) -> Done:
    n = service.add_closing(
        c.session,
        section=PaperSection(section),
        text=text,
        today=c.today,
        inspection=inspection,
        **c.by,
    )
    label = service.SECTION_LABEL[PaperSection(section)]
    return Done(
        "closing_add",
        label,
        (f"paragraph {n} added",),
        c.when(),
        short=(f"{label}: paragraph {n} added",),
        detail=(
            "It goes into the next draft paper and every later one until rewritten. ",
            Code("/ncpi paper"),
            " opens the form to edit every closing section.",
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
) -> Done:
    changed = service.write_closing(
        c.session,
        sections={
            PaperSection.SUMMARY: summary,
            PaperSection.FINANCIAL: financial,
            PaperSection.OTHER: other,
            PaperSection.CONCLUSION: conclusion,
        },
        today=c.today,
        inspection=inspection,
        **c.by,
    )
    what = f"{plural(changed, 'paragraph')} changed" if changed else "nothing changed"
    return Done(
        "closing_set",
        "Closing sections",
        (f"paper wording saved ({what})",),
        c.when(),
        short=(f"Closing sections: {what}",),
        detail=("The history keeps every earlier version.",),
    )


@op("review_set")
def review_set(c: Ctx, *, panel_id: int, choices: list[dict]) -> Done:
    """A lead's decisions from one recommendation's review form."""
    review, changed = apply_review(
        c.session,
        panel_id=panel_id,
        choices=[Choice(int(ch["update_id"]), ch["choice"], ch.get("wording")) for ch in choices],
        today=c.today,
        **c.by,
    )
    what = f"{plural(changed, 'decision')} recorded" if changed else "nothing changed"
    left = len(review.unreviewed)
    panel = panel_name(review.panel_day, review.paper_ref)
    return Done(
        "review_set",
        "Review",
        (what,),
        said=(
            f"Review of the paper for {panel} — {what}, {c.when()} by you; "
            f"{left} unreviewed in the draft.",
        ),
        short=(f"Review: {what}",),
        detail=(
            "Edited wording goes into the paper; the notes stay in history as they were said.",
        ),
    )
