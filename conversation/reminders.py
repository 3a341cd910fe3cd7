"""What each reminder says, written once for every front end: the panel countdown and the
due-date DM (their actions' rows, each offering its next steps), the escalation to a
manager, the weekly lead digest, the panel readiness note, a milestone's note and the
review request. `says(owed, …)` answers a `Reminder`: its sentences as `Said` (people as
`Person`, refs as `Strong`, commands as `Code`); Slack's `bot/views/reminders.py` and the
plain text of `conversation/plain.py` add only their markup, layout and limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from conversation.outcomes import Offer
from conversation.said import Code, Person, Said, Strong, said
from models.calendar import overdue_working_days
from models.parsing import parse_ref
from models.planner import ESCALATE_AFTER, Kind, Owed, OwedItem
from models.service import ActionView, rag
from models.tables import status_label
from models.wording import in_days, long_day, panel_name, plural, short_day, week_day

REFS_NAMED = 60  # refs a "…and N more" names after the rows shown
TITLE_SHOWN = 120  # of a title, in a digest's or readiness note's line
REVIEW = "Review the paper"
SNOOZE = Offer("Remind me next working day", "snooze", "snooze")
REPLY: Said = ("Reply in this thread to add a note.",)
NOTHING_OUTSTANDING: Said = ("Nothing outstanding, overdue or at risk.",)


@dataclass(frozen=True)
class Lines:
    """Lines under a name (a digest's section), or under none (a readiness note's)."""

    name: str | None
    lines: tuple[Said, ...]


@dataclass(frozen=True)
class Reminder:
    """One reminder's words, in the order they are read."""

    kind: str
    text: Said  # the notification's one line
    head: Said  # the opening sentence
    label: str | None = None  # what it is, named before the head: "Escalation"
    title: str | None = None  # a heading above it all (the digest's)
    rows: tuple[ActionView, ...] = ()  # actions to update, each offering its next steps
    groups: tuple[Lines, ...] = ()
    after: tuple[Said, ...] = ()  # sentences after the lines: the owners to chase
    done: bool = False  # all clear: its last sentence says nothing waits
    offers: tuple[Offer, ...] = ()  # what it offers (the review)
    small: Said | None = None  # small print: why it was sent, where a day comes from
    footer: bool = False  # a DM about actions: `SNOOZE` is offered and `REPLY` said


def says(owed: Owed, *, last_updates: dict[int, datetime], tz: tzinfo) -> Reminder:
    """What `owed` says; `last_updates` is each action's last update (UTC), `tz` local."""
    write = {
        Kind.PANEL: _panel,
        Kind.DUE: _due,
        Kind.ESCALATION: _escalation,
        Kind.DIGEST: _digest,
        Kind.READINESS: _readiness,
        Kind.MILESTONE: _milestone,
        Kind.REVIEW: _review,
    }[Kind(owed.kind)]
    return write(owed, last_updates, tz)


def row_view(item: OwedItem, last_update: datetime | None, today: date) -> ActionView:
    """An owed action as its row shows it (and as its offers are worked out)."""
    ref = parse_ref(item.ref, want="action")  # `NCPI:R2.1` when several are tracked
    return ActionView(
        ref=str(ref),
        rec_number=ref.rec,
        rec_kind=ref.kind,
        number=ref.action,
        title=item.title,
        owner=item.owner,
        owner_name=None,
        owner_accepted=True,
        due=item.due,
        status=item.status,
        rag=rag(item.status, item.due, today),
        evidence=None,
        last_update=last_update,
        overdue_working_days=overdue_working_days(item.due, today),
        inspection=item.inspection,
        several=ref.inspection is not None,
    )


def more_rows(rest: Sequence[OwedItem]) -> Said:
    """After the rows shown: `…and 5 more: R3.1, R3.2. /ncpi mine lists them all…`"""
    refs = ", ".join(i.ref for i in rest[:REFS_NAMED]) + (" …" if len(rest) > REFS_NAMED else "")
    return (
        f"…and {len(rest)} more: {refs}. ",
        Code("/ncpi mine"),
        " lists them all with buttons.",
    )


def more_lines(n: int) -> Said:
    return (f"…and {n} more",)


def item_line(i: OwedItem) -> Said:
    """`• *R2.1* Title — overdue by 4 working days — @owner`"""
    who: Said = (" — ", Person(i.owner)) if i.owner else (" — no owner",)
    return said("• ", Strong(i.ref), " ", i.title[:TITLE_SHOWN], " — ", i.note, who)


def review_offer(panel_id: int) -> Offer:
    return Offer(REVIEW, "review_open", str(panel_id), style="primary")


def _rows(owed: Owed, last: dict[int, datetime], tz: tzinfo) -> tuple[ActionView, ...]:
    today = owed.today or owed.local_day
    out = []
    for item in owed.items:
        when = last.get(item.action_id)
        out.append(row_view(item, when.astimezone(tz) if when else None, today))
    return tuple(out)


def _panel(owed: Owed, last: dict[int, datetime], tz: tzinfo) -> Reminder:
    p = owed.panel
    assert p is not None and owed.today is not None
    n = (p.day - owed.today).days
    head = said(
        f"The panel meets {in_days(n)} ({week_day(p.day)}",
        (", ", p.paper_ref) if p.paper_ref else None,
        f"). Please update your {plural(len(owed.items), 'open action')}.",
    )
    return Reminder(owed.kind, head, head, rows=_rows(owed, last, tz), footer=True)


def _due(owed: Owed, last: dict[int, datetime], tz: tzinfo) -> Reminder:
    items = owed.items
    if len(items) == 1:
        head: Said = (items[0].ref, " ", items[0].title, f" is {items[0].note}. Please update it.")
    else:
        overdue = sum(1 for i in items if i.note.startswith("overdue"))
        late = f" ({overdue} overdue)." if overdue else "."
        head = (f"{len(items)} of your actions need an update{late}",)
    return Reminder(owed.kind, head, head, rows=_rows(owed, last, tz), footer=True)


def _escalation(owed: Owed, last: dict[int, datetime], tz: tzinfo) -> Reminder:
    (item,) = owed.items
    owner = Person(item.owner) if item.owner else "no owner"
    when = last.get(item.action_id)
    seen = f"last update {short_day(when.astimezone(tz).date())}" if when else "no update yet"
    head: Said = (
        item.ref,
        " ",
        item.title,
        f" is {item.note}. Owner ",
        owner,
        f" · {status_label(item.status)} · {seen}.",
    )
    why: Said = (
        "Sent once per due date, when an action is first found "
        f"{plural(ESCALATE_AFTER, 'working day')} or more past it. ",
        Code(f"/ncpi show {item.ref}"),
        " for its history.",
    )
    text = said("Escalation: ", head)
    return Reminder(owed.kind, text, head, label="Escalation", small=why)


def _digest(owed: Owed, last: dict[int, datetime], tz: tzinfo) -> Reminder:
    title = f"Weekly digest · {week_day(owed.today or owed.local_day)}"
    counts = owed.reason.split(": ", 1)[-1]
    groups: dict[str, list[Said]] = {}
    for i in owed.items:
        groups.setdefault(i.group, []).append(item_line(i))
    return Reminder(
        owed.kind,
        (title, ": ", counts),
        (counts[0].upper() + counts[1:] + ".",),
        title=title,
        groups=tuple(Lines(g[0].upper() + g[1:], tuple(ls)) for g, ls in groups.items()),
        after=() if groups else (NOTHING_OUTSTANDING,),
        done=not groups,
    )


def _readiness(owed: Owed, last: dict[int, datetime], tz: tzinfo) -> Reminder:
    p = owed.panel
    assert p is not None
    panel = said(f"Panel {week_day(p.day)}", (" (", p.paper_ref, ")") if p.paper_ref else None)
    since = (
        f"the last panel ({week_day(p.previous_day)})"
        if p.previous_day
        else week_day(p.stale_since)
    )
    items = owed.items
    label = "Panel readiness"
    if not items:
        head = said(panel, f": every open action has an update since {since}.")
        return Reminder(owed.kind, head, head, label=label, done=True)
    owners = sorted({i.owner for i in items if i.owner})
    has = "has" if len(items) == 1 else "have"
    head = said(panel, f": {plural(len(items), 'action')} {has} had no update since {since}.")
    chase: list = []
    for k, o in enumerate(owners):
        chase += [", "] * (k > 0) + [Person(o)]
    return Reminder(
        owed.kind,
        head,
        head,
        label=label,
        groups=(Lines(None, tuple(item_line(i) for i in items)),),
        after=(said("Owners to chase: ", *chase) if owners else ("Owners to chase: none",),),
    )


def _milestone(owed: Owed, last: dict[int, datetime], tz: tzinfo) -> Reminder:
    m = owed.milestone
    assert m is not None and m.day is not None and owed.today is not None
    n = (m.day - owed.today).days
    when = "today" if n == 0 else f"in {plural(n, 'day')}"
    head: Said = (m.inspection_code, f": {m.label} is due {when}, {long_day(m.day)}.")
    basis = f"{m.basis}." + (" A lead moved it from the computed day." if m.moved else "")
    return Reminder(owed.kind, head, head, label="Milestone", small=(basis,))


def _review(owed: Owed, last: dict[int, datetime], tz: tzinfo) -> Reminder:
    p = owed.panel
    assert p is not None and owed.today is not None
    n = (p.day - owed.today).days
    since = (
        f"the last panel ({long_day(p.previous_day)})" if p.previous_day else "the tracker began"
    )
    head: Said = (
        f"The panel meets in {plural(n, 'day')} (",
        panel_name(p.day, p.paper_ref),
        f"). Please review the draft paper's progress since {since}: include, edit or leave "
        "out each paragraph.",
    )
    unreviewed: Said = (
        "What you leave unreviewed goes into the draft marked [Unreviewed] for the author. ",
        Code("/ncpi review"),
        " opens this again; App Home has it too.",
    )
    return Reminder(
        owed.kind, head, head, label=REVIEW, offers=(review_offer(p.id),), small=unreviewed
    )
