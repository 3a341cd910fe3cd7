"""Plain-text renderings for the terminal (CLI)."""

from __future__ import annotations

from conversation.wording import RAG_MARK
from models.kinds import counted, headings, only_recommendations
from models.service import Summary
from models.wording import in_days, long_day, overdue_by, plural


def summary_text(s: Summary) -> str:
    lines = []
    head = f"{s.inspection_code} · {s.inspection_title}"
    if s.next_panel:
        p = s.next_panel
        ref = f" ({p.paper_ref})" if p.paper_ref else ""
        head += f" · next panel {long_day(p.day)}{ref}, {in_days(p.days_away)}"
    else:
        head += " · no panel meeting set"
    lines.append(head)
    # Every open action is counted once; blocked and awaiting verification only when present.
    parts = [
        f"{n} {name}"
        for name, n in s.headline.items()
        if n or name in ("overdue", "at risk", "on track")
    ]
    kinds = [r.kind for r in s.recs]
    of = plural(len(s.recs), "recommendation") if only_recommendations(kinds) else counted(kinds)
    lines.append(
        f"{len(s.signed_off)} of {of} signed off · "
        f"{len(s.outstanding)} outstanding · {plural(s.open_count, 'open action')}: "
        + " · ".join(parts)
    )
    outstanding = s.outstanding
    for h, r in zip(headings([r.kind for r in outstanding]), outstanding, strict=True):
        if h:
            lines.append(h)
        counts = (
            " ".join(f"{RAG_MARK[k]} {v}" for k, v in r.rag_counts.items()) or "no open actions"
        )
        under = f" (under {r.cause})" if r.cause else ""
        line = f"{r.ref}{under} {r.title} — outstanding · {counts}"
        worst = r.worst_overdue
        if worst is not None:
            who = worst.owner_name or worst.owner
            line += f" — {worst.typed_ref} {overdue_by(worst.overdue_working_days)} ({who})"
        if r.target is not None:
            past = "🔴 past target" if r.past_target(s.today) else "target"
            line += f" · {past} {long_day(r.target)}"
        lines.append(line)
    if s.signed_off:
        refs = " ".join(f"{r.ref}" for r in s.signed_off)
        extra = [
            f"{r.ref}: {plural(r.open_count, 'further action')} open"
            for r in s.signed_off
            if r.open_count
        ]
        lines.append(f"Signed off: {refs}" + (f" ({'; '.join(extra)})" if extra else ""))
    for m in s.milestones:
        lines.append(f"Milestone: {m.label}: {m.when(s.today)} — {m.basis}")
    return "\n".join(lines)
