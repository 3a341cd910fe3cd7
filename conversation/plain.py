"""Outcomes as plain text: the second front end, for a terminal, a log or a test. The
words are the conversation's (`wording`, `reads`, `guide`, `reminders`); people show as `@id`, a command
as it is typed, nothing escaped (no markup to be fooled), each next step as `[Label]`."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from conversation import guide, reads, reminders, wording
from conversation.outcomes import Answer, Done, Field, Form, Held, Offer, Outcome, Read, Tell
from conversation.report import ReportRequest
from conversation.said import Code, Person, Quote, Said, Strong
from models.kinds import headings
from models.planner import Owed
from models.service import ActionView, Summary
from models.wording import overdue_by


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


def outcome(o: Outcome | ReportRequest, *, tz: tzinfo) -> str:
    """Whatever a command answered (`conversation.commands.answer`), as a terminal shows it:
    the answer and each message it sends someone else, a form, a read, or what is said while
    a report is drafted."""
    if isinstance(o, Form):
        return form(o)
    if isinstance(o, Read):
        return read(o, tz=tz)
    if isinstance(o, ReportRequest):
        return o.opening
    lines = [answer(o)]
    if isinstance(o, Done):
        lines += [tell(t) for t in o.tells]
    return "\n".join(lines)


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


def summary_text(s: Summary) -> str:
    """The summary as lines: the CLI's `summary`, Slack's fallback, the plain summary read."""
    lines = [text(reads.summary_head(s)), text(reads.summary_counts(s))]
    outstanding = s.outstanding
    for h, r in zip(headings([r.kind for r in outstanding]), outstanding, strict=True):
        if h:
            lines.append(h)
        counts = (
            " ".join(f"{wording.RAG_MARK[k]} {v}" for k, v in r.rag_counts.items())
            or "no open actions"
        )
        under = f" (under {r.cause})" if r.cause else ""
        line = f"{r.ref}{under} {r.title} — outstanding · {counts}"
        worst = r.worst_overdue
        if worst is not None:
            who = worst.owner_name or worst.owner
            line += f" — {worst.typed_ref} {overdue_by(worst.overdue_working_days)} ({who})"
        if r.target is not None:
            line += f" · {reads.target_text(r, s.today)}"
        lines.append(line)
    lines.append(reads.signed_off(s))
    return "\n".join(line for line in lines + _milestones_lines(s) if line)


def read(r: Read, *, tz: tzinfo) -> str:
    """A read as lines to read, times shown in `tz`; each action's row followed by the
    steps it offers this person (`Read.offers`), or the line saying whom it waits on."""
    m: Any = r.model
    lines = {
        "help": lambda: _help(r),
        "summary": lambda: [summary_text(m), offers(r.offers.get(m.inspection_code, []))],
        "rec": lambda: _rec(m),
        "mine": lambda: _mine(r, m),
        "show": lambda: _show(r, m, tz),
        "history": lambda: _history(r.extra["ref"], m, tz, r.extra.get("refs")),
        "panels": lambda: _panels(r, m, tz),
        "milestones": lambda: _milestones(m),
        "review": lambda: _review(m),
    }[r.kind]()
    return "\n".join(line for line in lines if line)


def _row(a: ActionView, r: Read, *, show_owner: bool = True) -> list[str]:
    return row(a, r.offers.get(a.qualified_ref, []), today=r.today, show_owner=show_owner)


def row(a: ActionView, steps: list[Offer], *, today: date | None, show_owner: bool) -> list[str]:
    """An action's row, then the steps it offers (`[Label]`) or whom it waits on."""
    waiting = wording.row_waiting(a, steps)
    after = offers(steps) if steps else text(waiting) if waiting else ""
    return [text(wording.row(a, today=today, show_owner=show_owner)), after and "  " + after]


def reminder(owed: Owed, *, last_updates: dict[int, datetime], tz: tzinfo) -> str:
    """A reminder (`conversation.reminders`) as lines to read: its heading and opening
    sentence, each action's row with the steps it offers the recipient, every line of each
    section (no limit but the planner's), then its small print and what it offers."""
    r = reminders.says(owed, last_updates=last_updates, tz=tz)
    lines = [r.title or "", (f"{r.label} — " if r.label else "") + text(r.head)]
    for a in r.rows:
        steps = wording.row_offers(a, viewer=owed.recipient, lead=False)
        lines += row(a, steps, today=owed.today or owed.local_day, show_owner=False)
    for g in r.groups:
        lines += [g.name or "", *(text(s) for s in g.lines)]
    lines += [text(s) for s in r.after]
    lines += [text(r.small) if r.small else "", offers(list(r.offers))]
    if r.footer:
        lines += [offers([reminders.SNOOZE]), text(reminders.REPLY)]
    return "\n".join(line for line in lines if line)


def plain_reminder(owed: Owed, *, last_updates: dict[int, datetime], tz: tzinfo) -> dict[str, Any]:
    """`reminder` in the shape `jobs.render.ReminderRenderer` asks for: the text, no
    blocks (so the sweep can send it as it is)."""
    return {"text": reminder(owed, last_updates=last_updates, tz=tz), "blocks": []}


def _help(r: Read) -> list[str]:
    today = r.today
    assert today is not None  # a help or panels read is of a day
    uncoded = [
        guide.lines(guide.EVERYONE, today),
        guide.lines(guide.LEADS, today),
        guide.dated(guide.NOTES, today),
    ]
    everyone, leads, notes = (t.replace("`", "") for t in uncoded)
    return [
        guide.TITLE,
        "Everyone",
        everyone,
        "Leads",
        leads,
        notes,
        guide.GUARDRAIL,
        guide.THREADS,
    ]


def _rec(s: Summary) -> list[str]:
    r = s.recs[0]
    out = [reads.rec_heading(s, r), text(reads.rec_status(s, r))]
    out += [f"• {p}" for p in r.sub_points]
    if not r.actions:
        return out + [text(reads.rec_no_actions(s, r))]
    out += [text(wording.row(a, today=s.today)) for a in r.actions]
    return out + [text(reads.rec_hint(r.actions[0].typed_ref))]


def _mine(r: Read, actions: list[ActionView]) -> list[str]:
    if not actions:
        return [r.note or "", reads.NO_ACTIONS]
    out = [reads.mine_heading(actions), r.note or ""]
    for a in actions:
        out += _row(a, r, show_owner=False)
    return out


def _show(r: Read, a: ActionView, tz: tzinfo) -> list[str]:
    out = [reads.show_heading(a), r.note or ""]
    out += [f"{label}: {text(value)}" for label, value in reads.facts(a, tz)]
    out += [text(p) for p in (reads.latest(a, r.extra.get("latest"), tz), reads.evidence(a)) if p]
    out += _row(a, r)[1:]
    return out + [text(reads.history_hint(a.typed_ref))]


def _history(ref: str, updates: list, tz: tzinfo, refs: dict[int, str] | None) -> list[str]:
    if not updates:
        return [reads.history_heading(ref), reads.NOTHING_RECORDED]
    shown = [
        text(reads.history_line(u, tz, refs)) + (f" ({u.source})" if u.source else "")
        for u in updates
    ]
    return [reads.history_heading(ref), *shown, reads.history_count(updates)]


def _panels(r: Read, panels: list, tz: tzinfo) -> list[str]:
    named = r.extra.get("inspection")
    today = r.today
    assert today is not None  # a help or panels read is of a day
    if not panels:
        return [reads.panels_heading(named), text(reads.no_panels(today, named))]
    upcoming = [text(reads.panel_line(p, tz)) for p in panels if p.day >= today]
    past = [p for p in panels if p.day < today]
    earlier = reads.earlier_panels(past) if past else ""
    hint = text(reads.panels_hint(named))
    return [reads.panels_heading(named), *(upcoming or [reads.NO_UPCOMING]), earlier, hint]


def _milestones(s: Summary) -> list[str]:
    shown = _milestones_lines(s) or [reads.NO_MILESTONES]
    return [reads.milestones_title(s), *shown, text(reads.MILESTONES_HINT)]


def _milestones_lines(s: Summary) -> list[str]:
    """The milestones' heading and one line each, with where its day comes from."""
    if not s.milestones:
        return []
    shown = [text(reads.milestone_line(m, s.today)) + m.basis for m in s.milestones]
    return [text(reads.milestones_heading(s)), *shown]


def _review(review) -> list[str]:
    out = [reads.review_heading(review), reads.review_intro(review)]
    for rec, cs in review.by_rec().items():
        out.append(text(reads.review_rec(review, rec, cs)) + f"  [{reads.review_label(rec)}]")
    return out
