"""What each read says, line by line, written once for every front end (Slack's views in
bot/views/ and the plain text of conversation/plain.py draw these): an action's facts and
what was last said of it, a history's lines, the panel meetings, the summary's head and
counts, a recommendation's head and hints, the milestones and the review's counts. Each
line is a `Said` (or plain words); the front end adds only its markup and layout (a
header, a section, a button) and, where a line sets something apart (a history line's
source, a milestone's basis), how it is set apart."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from conversation.said import Code, Person, Quote, Said, Strong, said
from conversation.wording import RAG_MARK, clip
from models.kinds import counted, only_recommendations
from models.paper.review import Candidate, Review
from models.parsing import example_day
from models.service import ActionView, MilestoneView, PanelView, Rag, RecView, Summary
from models.tables import Status, Update, status_label
from models.wording import in_days, long_day, noun, overdue_by, panel_name, plural

NO_ACTIONS = "You have no open actions."
NOTHING_RECORDED = "Nothing recorded yet."
NO_UPCOMING = "No upcoming meeting is set."


def stamp(instant: datetime, tz: tzinfo) -> str:
    """`3 Nov 2026 10:42`, local."""
    return f"{instant.astimezone(tz):%-d %b %Y %H:%M}"


def show_heading(a: ActionView) -> str:
    return f"{a.typed_ref} {a.title}"


def mine_heading(actions: list[ActionView]) -> str:
    return f"Your open actions ({len(actions)})"


def facts(a: ActionView, tz: tzinfo) -> list[tuple[str, Said]]:
    """An action's owner, due day, status and last update, each named."""
    due: Said = (long_day(a.due) if a.due else "no due date",)
    if a.overdue_working_days:
        due += (" (", Strong(overdue_by(a.overdue_working_days)), ")")
    owner: Said = (Person(a.owner, a.owner_name),)
    if a.owner and not a.owner_accepted:
        owner += (" (handover not yet accepted)",)
    status = " ".join(filter(None, (RAG_MARK.get(a.rag), a.status_label)))
    last = stamp(a.last_update, tz) if a.last_update else "none"
    return [("Owner", owner), ("Due", due), ("Status", (status,)), ("Last update", (last,))]


def latest(a: ActionView, u: Update | None, tz: tzinfo) -> Said | None:
    """The last thing said of it (who, when), or why it was withdrawn."""
    if u is None or not u.note:
        return None
    withdrawn = a.status == Status.WITHDRAWN and u.after == Status.WITHDRAWN
    label = "Withdrawn" if withdrawn else "Latest note"
    who = (Person(u.actor), ", ", stamp(u.at, tz))
    return said(Strong(label), " (", who, ")\n", clip(u.note, 2800))


def evidence(a: ActionView) -> Said | None:
    return said(Strong("Evidence"), "\n", clip(a.evidence, 2900)) if a.evidence else None


def history_hint(ref: str) -> Said:
    return ("Everything that happened to it: ", Code(f"/ncpi history {ref}"))


def history_heading(ref: str) -> str:
    return f"History of {ref}"


def history_line(u: Update, tz: tzinfo, refs: dict[int, str] | None = None) -> Said:
    """`3 Nov 2026 10:42 · @who · status on track → at risk — “note”` (its source apart)."""
    which = (Strong(refs[u.action_id]), " ") if refs and u.action_id in refs else ()
    change: Said = (u.field.replace("_", " "),)
    if u.field == "status":
        change = (f"status {status_label(u.before)} → {status_label(u.after)}",)
    elif u.field == "owner":
        change = ("owner ", _someone(u.before), " → ", _someone(u.after))
    elif u.field in ("note", "created"):
        change = (u.field,)
    elif u.before or u.after:  # a title or a recommendation's text: each version, clipped
        before, after = (clip(v or "—", 600) for v in (u.before, u.after))
        change = (f"{u.field.replace('_', ' ')} {before} → {after}",)
    note = (" — “", clip(u.note, 600), "”") if u.note else ()
    return said(stamp(u.at, tz), " · ", Person(u.actor), " · ", which, change, note)


def _someone(user: str | None) -> Said:
    return (Person(user),) if user else ("nobody",)


def history_count(updates: list[Update]) -> str:
    return f"{plural(len(updates), 'change')}, oldest first. Times are local."


def panel_command(inspection: str | None) -> str:
    return f"/ncpi panel {inspection}" if inspection else "/ncpi panel"


def panels_heading(inspection: str | None) -> str:
    return f"Panel meetings · {inspection}" if inspection else "Panel meetings"


def no_panels(today: date, inspection: str | None) -> Said:
    add = f"{panel_command(inspection)} add {example_day(today):%d/%m/%Y} 10:00 AP26/04"
    return ("No panel meetings are set. A lead adds one: ", Code(add), ".")


def panel_line(p: PanelView, tz: tzinfo) -> Said:
    """`*Thu 5 Mar 2026* 10:00 · AP26/04 — in 12 days`"""
    ref = (" · ", p.paper_ref) if p.paper_ref else ()
    when = f" {p.starts_at.astimezone(tz):%H:%M}"
    return said(Strong(long_day(p.day)), when, ref, " — ", in_days(p.days_away))


def earlier_panels(past: list[PanelView]) -> str:
    return f"{plural(len(past), 'earlier meeting')}; latest {long_day(past[-1].day)}."


def panels_hint(inspection: str | None) -> Said:
    panel = panel_command(inspection)
    add, remove = f"{panel} add <date> [time] [paper ref]", f"{panel} remove <date>"
    return ("Leads: ", Code(add), ", ", Code(remove), ".")


def review_heading(r: Review) -> str:
    return f"Review the paper for {panel_name(r.panel_day, r.paper_ref)}"


def milestones_title(s: Summary) -> str:
    return f"{s.inspection_code} milestones"


def milestones_heading(s: Summary) -> Said:
    published = f" (report published {long_day(s.published)})" if s.published else None
    return said(Strong("Milestones"), published)


def milestone_line(m: MilestoneView, today: date) -> Said:
    """`• Action plan: *Fri 7 Jul 2023* — ` and then, set apart, where its day comes from."""
    return ("• ", m.label, ": ", Strong(m.when(today)), " — ")


NO_MILESTONES = "No milestones."
MILESTONES_HINT: Said = (
    "A lead moves one with ",
    Code("/ncpi milestone plan 09/02/2027 <reason>"),
    " (cc, plan or reinspection; the s.55 deadline is set by law).",
)


def review_intro(r: Review) -> str:
    """How much there is to review since the last panel, and what becomes of the rest."""
    since = f"the last panel ({long_day(r.since)})" if r.since else "the tracker began"
    if not r.by_rec():
        return f"Nobody has said anything since {since}: nothing to review."
    return (
        f"{plural(len(r.candidates), 'paragraph')} of progress since {since}; "
        f"{len(r.unreviewed)} unreviewed. Unreviewed ones go into the draft marked "
        "[Unreviewed] for the author."
    )


def review_label(rec: str) -> str:
    """What opens one recommendation's review: `Review R2`."""
    return f"Review {rec}"


def review_counts(cs: list[Candidate]) -> str:
    """`3 paragraphs, 1 unreviewed` (or `all reviewed`)."""
    left = sum(1 for c in cs if c.choice is None)
    return f"{plural(len(cs), 'paragraph')}, " + (f"{left} unreviewed" if left else "all reviewed")


def review_rec(r: Review, rec: str, cs: list[Candidate]) -> Said:
    """`*R2* Title — 3 paragraphs, 1 unreviewed`"""
    return (Strong(rec), " ", clip(r.titles.get(rec, ""), 200), " — ", review_counts(cs))


def summary_head(s: Summary) -> Said:
    """`*NCPI* · Title · next panel Fri 18 Dec 2026 (AP26/04), in 23 days`"""
    head = (Strong(s.inspection_code), " · ", s.inspection_title)
    p = s.next_panel
    if p is None:
        return said(head, " · no panel meeting set")
    ref = f" ({p.paper_ref})" if p.paper_ref else None
    return said(head, f" · next panel {long_day(p.day)}", ref, f", {in_days(p.days_away)}")


def summary_counts(s: Summary) -> Said:
    """`*6 of 10* recommendations signed off · *4* outstanding · *10* open actions: 2 overdue
    · …`: every open action counted once (the parts add up to the whole); blocked and
    awaiting verification only when there are some."""
    parts = [
        f"{n} {name}"
        for name, n in s.headline.items()
        if n or name in ("overdue", "at risk", "on track")
    ]
    kinds = [r.kind for r in s.recs]
    done, of = len(s.signed_off), len(s.recs)
    signed: Said = (
        (Strong(f"{done} of {of}"), f" {noun(of, 'recommendation')}")
        if only_recommendations(kinds)
        else (Strong(str(done)), f" of {counted(kinds)}")
    )
    n = s.open_count
    outstanding = (Strong(str(len(s.outstanding))), " outstanding · ", Strong(str(n)))
    return said(
        signed, " signed off · ", outstanding, f" open {noun(n, 'action')}: ", " · ".join(parts)
    )


def signed_off(s: Summary) -> str:
    """`Signed off: R1 R3 (R3: 2 further actions open)`, or nothing."""
    if not s.signed_off:
        return ""
    refs = " ".join(f"{r.ref}" for r in s.signed_off)
    extra = [
        f"{r.ref}: {plural(r.open_count, 'further action')} open"
        for r in s.signed_off
        if r.open_count
    ]
    return f"Signed off: {refs}" + (f" ({'; '.join(extra)})" if extra else "")


def rec_heading(s: Summary, r: RecView) -> str:
    return f"{s.typed(r.ref)} {r.title}"


def rec_status(s: Summary, r: RecView) -> Said:
    """`*R2* — outstanding`, its timescale with the target where it is set, and its text."""
    status = status_label(r.status)
    if r.signed_off_on:
        status += f" on {long_day(r.signed_off_on)}"
    timescale: Said = ()
    if r.timescale:
        target = target_text(r, s.today)
        timescale = ("\nTimescale: ", r.timescale, f" · {target}" if target else "")
    return said(Strong(s.typed(r.ref)), " — ", status, timescale, Quote(clip(r.text, 2500)))


def target_text(r: RecView, today: date) -> str:
    """`🔴 past target Thu 19 Jan 2023` (red: past it with actions open) or `target …`."""
    if r.target is None:
        return ""
    if r.past_target(today):
        return f"{RAG_MARK[Rag.RED]} past target {long_day(r.target)}"
    return f"target {long_day(r.target)}"


def rec_no_actions(s: Summary, r: RecView) -> Said:
    add = Code(f"/ncpi add {s.typed(r.ref)} <title>")
    return ("No actions yet. A lead adds one with ", add, ".")


def rec_hint(first: str) -> Said:
    return (
        "Open one with ",
        Code(f"/ncpi show {first}"),
        "; its history with ",
        Code(f"/ncpi history {first}"),
        ".",
    )


def more_actions(left: int, command: str) -> Said:
    return (f"…and {left} more {noun(left, 'action')}: see ", Code(command), " for all of them.")
