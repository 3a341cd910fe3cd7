"""The sentences a change answers with, written once for every front end: a `Done`'s
line and its one-line summary, an action as it now stands (its row) and the next steps its
row offers whoever is looking."""

from __future__ import annotations

from datetime import date

from conversation.outcomes import Done, Offer
from conversation.said import Person, Said, Strong, said, words
from models.service import ActionView, Change, Rag, Summary, allowed_changes
from models.tables import Status
from models.wording import overdue_by, short_day

RAG_MARK = {Rag.RED: "🔴", Rag.AMBER: "🟠", Rag.GREEN: "🟢", Rag.COMPLETE: "✅"}
TITLE_LIMIT = 200
TICK = "✔︎"  # a Done's line starts with it


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis (before any front end escapes it)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(text: str | None) -> Said:
    return ("“", text or "", "”")


def _recorded(d: Done) -> Said:
    if d.when is None:
        return ()
    return said(", recorded ", d.when, " by you" if d.by_you else None)


def line(d: Done) -> Said:
    """`✔︎ *R2.1* — on track, recorded 10:42 by you.`"""
    if d.said is not None:
        return said(TICK, " ", d.said)
    title = (" ", d.title) if d.title else None
    return said(TICK, " ", Strong(d.subject), title, " — ", d.what, _recorded(d), d.then, ".")


def short(d: Done) -> Said:
    """`R2.1 — on track, recorded 10:42 by you`: where one line is all there is room for."""
    if d.short is not None:
        return d.short
    return said(d.subject, " — ", words(d.what), _recorded(d))


def row(v: ActionView, *, today: date | None = None, show_owner: bool = True) -> Said:
    """`🟠 *R2.1* Title — due 12 Dec · at risk · last update 3 Nov · @owner`"""
    due: Said = (short_day(v.due, today),)
    if v.overdue_working_days:
        due = ("due ", due[0], ", ", Strong(overdue_by(v.overdue_working_days)))
    elif v.due:
        due = ("due ", due[0])
    bits: list[Said] = [due, (v.status_label,)]
    if v.last_update:
        bits.append((f"last update {short_day(v.last_update.date(), today)}",))
    if show_owner:
        owner: Said = (Person(v.owner, v.owner_name),)
        if v.owner and not v.owner_accepted:
            owner += (" (not yet accepted)",)
        bits.append(owner)
    joined: list = []
    for i, b in enumerate(bits):
        joined.extend((" · ",) * (i > 0) + b)
    mark = RAG_MARK.get(v.rag, "")
    return said(f"{mark} ", Strong(v.typed_ref), " ", clip(v.title, TITLE_LIMIT), " — ", *joined)


# Each change the domain allows (service.allowed_changes) offered as a step: its label and
# style ("primary": the step expected). Its intent is the change itself ("verify").
STEPS: dict[Change, tuple[str, str | None]] = {
    Change.VERIFY: ("Verify", "primary"),
    Change.RETURN: ("Return…", None),
    Change.ACCEPT: ("Accept", "primary"),
    Change.DECLINE: ("Decline…", None),
    Change.ON_TRACK: ("On track", None),
    Change.AT_RISK: ("At risk", None),
    Change.IMPLEMENTED: ("Implemented…", None),
    Change.UPDATE: ("Update…", None),
}


def offer(change: Change, value: str) -> Offer:
    """One next step, as every front end offers it: its label and style, and what it
    carries (an action's qualified ref)."""
    label, style = STEPS[change]
    return Offer(label, str(change), value, style=style)


def row_offers(v: ActionView, *, viewer: str | None, lead: bool) -> list[Offer]:
    """What an action's row offers this viewer next (may be nothing): one step per change
    they may make, each carrying the action's qualified ref."""
    return [offer(c, v.qualified_ref) for c in allowed_changes(v, viewer=viewer, lead=lead)]


def row_waiting(v: ActionView, offers: list[Offer]) -> Said | None:
    """Said beneath a row that offers nothing because it waits on someone else."""
    if offers or v.status != Status.IMPLEMENTED:
        return None
    return ("Implemented — waiting for a lead to verify.",)


def summary_offers(s: Summary, *, lead: bool, posted: bool, channel: bool = True) -> list[Offer]:
    """What the summary offers: to draft the paper and, to a lead where there is a `channel`
    to post it to, to post it; nothing once posted. Each carries the inspection's code, so
    it means this one whatever else is tracked."""
    if posted:
        return []
    draft = Offer("Draft panel paper", "draft_report", s.inspection_code)
    if lead and channel:
        return [Offer("Post to channel", "post_summary", s.inspection_code), draft]
    return [draft]
