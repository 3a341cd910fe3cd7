"""Outcomes as plain text: the second front end, for a terminal, a log or a test. The
words are the conversation's (`wording`); people show as `@id`, a command as it is typed,
nothing escaped (no markup to be fooled)."""

from __future__ import annotations

from conversation import wording
from conversation.outcomes import Answer, Held, Offer, Tell
from conversation.said import Code, Person, Said, Strong


def text(s: Said) -> str:
    out = []
    for p in s:
        if isinstance(p, str):
            out.append(p)
        elif isinstance(p, Person):
            out.append(f"@{p.id}" if p.id else "nobody yet")
        elif isinstance(p, (Strong, Code)):
            out.append(p.text)
    return "".join(out)


def offers(items: list[Offer]) -> str:
    return "  ".join(f"[{o.label}]" for o in items)


def answer(a: Answer) -> str:
    """What the person who asked reads: the result line and its detail, or the guardrail's
    question and that nothing is saved until they confirm."""
    if isinstance(a, Held):
        return f"{a.prompt}\n[Confirm] [Rewrite]"
    lines = [text(wording.line(a))]
    if a.detail:
        lines.append("  " + text(a.detail))
    return "\n".join(lines)


def tell(t: Tell) -> str:
    """A message to someone else: `to @U…:` and what they read."""
    lines = [f"to @{t.person}: {text(t.said)}"]
    lines += ["  " + text(part) for part in (t.detail, t.quote) if part]
    if t.offers:
        lines.append("  " + offers(t.offers))
    return "\n".join(lines)
