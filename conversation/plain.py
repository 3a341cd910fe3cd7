"""Outcomes as plain text: the second front end, for a terminal, a log or a test. The
words are the conversation's (`wording`); people show as `@id`, a command as it is typed,
nothing escaped (no markup to be fooled)."""

from __future__ import annotations

from conversation import wording
from conversation.outcomes import Answer, Field, Form, Held, Offer, Tell
from conversation.said import Code, Person, Quote, Said, Strong


def text(s: Said) -> str:
    out = []
    for p in s:
        if isinstance(p, str):
            out.append(p)
        elif isinstance(p, Person):
            out.append(f"@{p.id}" if p.id else "nobody yet")
        elif isinstance(p, Quote):
            out.append(f"\n> {p.text}")
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


def form(f: Form) -> str:
    """A form as lines to read: its title, its words, each field with its kind, what it
    starts with and what may be chosen, then what may be pressed."""
    lines = [f.title]
    for part in f.body:
        if isinstance(part, Field):
            lines.append(field(part))
        else:
            lines.append(("  " if part.small else "") + text(part.said))
    lines.append(offers([Offer(w, "", "") for w in (f.submit, f.close) if w]))
    return "\n".join(lines)


def field(f: Field) -> str:
    """`Status (choose: Not started | On track | …): On track`"""
    about = {"multiline": "lines", "date": "a date", "user": "a person"}.get(f.kind)
    if f.kind == "choice":
        about = "choose: " + " | ".join(c.label for c in f.choices)
    if f.optional:
        about = f"optional, {about}" if about else "optional"
    shown = f.initial
    if f.kind == "choice":
        shown = next((c.label for c in f.choices if c.value == f.initial), None)
    elif f.kind == "user" and f.initial:
        shown = f"@{f.initial}"
    return f"{f.label}" + (f" ({about})" if about else "") + f": {shown or ''}".rstrip()
