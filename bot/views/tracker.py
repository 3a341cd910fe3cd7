"""Replies to `mine`, `show`, `history`, `panel` and the one-line results of changes."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block, DividerBlock

from bot.views.actions import RAG_MARK, action_row_blocks
from bot.views.common import (
    MAX_MESSAGE_BLOCKS,
    clip,
    context,
    escape,
    header,
    local_stamp,
    long_day,
    mention,
    section,
    sections_from_lines,
    short_day,
)
from conversation.outcomes import Offer
from models.parsing import example_day
from models.service import ActionView, PanelView
from models.tables import Status, Update, status_label
from models.wording import in_days, noun, overdue_by, plural

# Two blocks per row: 20 rows + header, intro and "and N more" stay under 50.
MAX_ROWS_PER_MESSAGE = 20


def mine_blocks(
    actions: list[ActionView],
    *,
    viewer: str,
    viewer_is_lead: bool,
    today: date,
    max_rows: int = MAX_ROWS_PER_MESSAGE,
    note: str | None = None,
    offers: dict[str, list[Offer]] | None = None,
) -> list[Block]:
    """`offers`: each row's next steps, by qualified ref (a read's); else this viewer's."""
    if not actions:
        blocks: list[Block] = [section("You have no open actions. :tada:")]
        if note:
            blocks.insert(0, context(note))
        return blocks
    blocks = [header(f"Your open actions ({len(actions)})")]
    if note:
        blocks.append(context(note))
    for a in actions[:max_rows]:
        blocks += action_row_blocks(
            a,
            viewer_is_lead=viewer_is_lead,
            viewer=viewer,
            origin="mine",
            today=today,
            show_owner=False,
            offers=_offers(offers, a),
        )
    if len(actions) > max_rows:
        blocks.append(
            context(f"…and {len(actions) - max_rows} more: see the bot's App Home for all of them.")
        )
    return blocks


def _offers(offers: dict[str, list[Offer]] | None, a: ActionView) -> list[Offer] | None:
    return None if offers is None else offers.get(a.qualified_ref, [])


def mine_text(actions: list[ActionView]) -> str:
    if not actions:
        return "You have no open actions."
    first = ", ".join(a.typed_ref for a in actions[:10])
    more = f" and {len(actions) - 10} more" if len(actions) > 10 else ""
    return f"Your open actions ({len(actions)}): {first}{more}"


def show_blocks(
    a: ActionView,
    *,
    viewer: str,
    viewer_is_lead: bool,
    today: date,
    tz: ZoneInfo,
    note: str | None = None,
    latest: Update | None = None,
    offers: dict[str, list[Offer]] | None = None,
) -> list[Block]:
    """One action: its facts, the latest thing said about it (who, when), its evidence and
    the steps it offers (`offers`, by qualified ref; else this viewer's)."""
    due = long_day(a.due) if a.due else "no due date"
    if a.overdue_working_days:
        due += f" (*{overdue_by(a.overdue_working_days)}*)"
    owner = mention(a.owner, a.owner_name)
    if a.owner and not a.owner_accepted:
        owner += " (handover not yet accepted)"
    facts = [
        f"*Owner:* {owner}",
        f"*Due:* {due}",
        f"*Status:* {' '.join(filter(None, (RAG_MARK.get(a.rag), a.status_label)))}",
        f"*Last update:* {local_stamp(a.last_update, tz) if a.last_update else 'none'}",
    ]
    ref = a.typed_ref
    blocks: list[Block] = [header(f"{ref} {a.title}")]
    if len(a.title) + len(ref) + 1 > 150:  # the header is cut: the whole title below it
        blocks.append(section(f"*{ref}* {escape(clip(a.title, 2800))}"))
    blocks.append(section("\n".join(facts)))
    if note:
        blocks.insert(1, context(note))
    if latest is not None and latest.note:
        said = f"{mention(latest.actor)}, {local_stamp(latest.at, tz)}"
        withdrawn = a.status == Status.WITHDRAWN and latest.after == Status.WITHDRAWN
        label = "Withdrawn" if withdrawn else "Latest note"
        blocks.append(section(f"*{label}* ({said})\n" + escape(clip(latest.note, 2800))))
    if a.evidence:
        blocks.append(section("*Evidence*\n" + escape(clip(a.evidence, 2900))))
    row = action_row_blocks(
        a,
        viewer_is_lead=viewer_is_lead,
        viewer=viewer,
        origin="show",
        today=today,
        offers=_offers(offers, a),
    )
    blocks += row[1:]
    blocks.append(context(f"Everything that happened to it: `/ncpi history {ref}`"))
    return blocks


def show_text(a: ActionView) -> str:
    return f"{a.typed_ref} {clip(escape(a.title), 200)} — due {short_day(a.due)} · {a.status_label}"


def _history_line(u: Update, tz: ZoneInfo, refs: dict[int, str] | None = None) -> str:
    who = mention(u.actor)
    which = f"*{refs[u.action_id]}* " if refs and u.action_id in refs else ""
    what = u.field.replace("_", " ")
    if u.field == "status":
        change = f"status {status_label(u.before)} → {status_label(u.after)}"
    elif u.field in ("owner",):
        change = f"owner {mention(u.before) if u.before else 'nobody'} → {mention(u.after) if u.after else 'nobody'}"
    elif u.field == "note":
        change = "note"
    elif u.field == "created":
        change = "created"
    elif u.before or u.after:  # a title or a recommendation's text: each version, clipped
        before, after = (escape(clip(v or "—", 600)) for v in (u.before, u.after))
        change = f"{what} {before} → {after}"
    else:
        change = what
    line = f"{local_stamp(u.at, tz)} · {who} · {which}{change}"
    if u.note:
        line += f" — “{escape(clip(u.note, 600))}”"
    if u.source:
        line += f" _({u.source})_"
    return line


def history_blocks(
    ref: str,
    updates: list[Update],
    *,
    tz: ZoneInfo,
    max_blocks: int = MAX_MESSAGE_BLOCKS,
    refs: dict[int, str] | None = None,
) -> list[Block]:
    blocks: list[Block] = [header(f"History of {ref}")]
    if not updates:
        return blocks + [section("Nothing recorded yet.")]
    lines = [_history_line(u, tz, refs) for u in updates]
    body, left = sections_from_lines(lines, max_blocks=max_blocks - 3)
    blocks += body
    if left:
        blocks.append(
            context(
                f"…and {left} later {noun(left, 'change')}: the panel paper and `ncpi-bot export` hold them all."
            )
        )
    blocks.append(context(f"{plural(len(updates), 'change')}, oldest first. Times are local."))
    return blocks


def history_text(ref: str, updates: list[Update]) -> str:
    return f"History of {ref}: {plural(len(updates), 'change')}"


def panel_blocks(
    panels: list[PanelView], *, tz: ZoneInfo, today: date, inspection: str | None = None
) -> list[Block]:
    """`inspection`: the code the hints name, when several inspections are tracked."""
    blocks: list[Block] = [
        header(f"Panel meetings · {inspection}" if inspection else "Panel meetings")
    ]
    upcoming = [p for p in panels if p.day >= today]
    past = [p for p in panels if p.day < today]
    panel = f"/ncpi panel {inspection}" if inspection else "/ncpi panel"
    if not panels:
        return blocks + [
            section(
                f"No panel meetings are set. A lead adds one: `{panel} add {example_day(today):%d/%m/%Y} 10:00 AP26/04`."
            )
        ]
    lines = []
    for p in upcoming:
        ref = f" · {escape(p.paper_ref)}" if p.paper_ref else ""
        lines.append(
            f"*{long_day(p.day)}* {p.starts_at.astimezone(tz):%H:%M}{ref} — {in_days(p.days_away)}"
        )
    if not upcoming:
        lines.append("No upcoming meeting is set.")
    body, left = sections_from_lines(lines, max_blocks=40)
    blocks += body
    if past:
        blocks.append(
            context(f"{plural(len(past), 'earlier meeting')}; latest {long_day(past[-1].day)}.")
        )
    blocks.append(DividerBlock())
    blocks.append(
        context(f"Leads: `{panel} add <date> [time] [paper ref]`, `{panel} remove <date>`.")
    )
    return blocks


def done_blocks(text: str, *, detail: str | None = None) -> list[Block]:
    """A one-line result: `R2.1 is now at risk.`"""
    blocks: list[Block] = [section(text)]
    if detail:
        blocks.append(context(detail))
    return blocks
