"""`/ncpi help`, for every front end: the grammar, who may use each command, and the notes
beneath it, with examples dated from today (`{day}`, `{iso}`: see `dated`). A command is
written in backticks, as Markdown marks code; a front end without code drops the marks."""

from __future__ import annotations

from datetime import date

from models.parsing import example_day

TITLE = "/ncpi — the inspection action tracker"
THREADS = "Reply in the thread of any reminder to add a note to that action."

EVERYONE = [
    ("`/ncpi summary` · `/ncpi summary R2`", "the tracker at a glance; one recommendation"),
    ("`/ncpi mine`", "your open actions, soonest due first, with buttons"),
    ("`/ncpi show R2.1` · `/ncpi history R2.1`", "one action; everything that happened to it"),
    (
        "`/ncpi update R2.1 at risk waiting on IT`",
        "change status and add a note (`update` alone opens a form)",
    ),
    ("`/ncpi note R2.1 met the Athena product owner`", "add a note; the status stays as it is"),
    (
        "`/ncpi done R2.1 https://link.to/evidence`",
        "mark implemented, with the evidence (a link or a note)",
    ),
    ("`/ncpi away until 2 January` · `/ncpi back`", "pause your reminders while on leave"),
    ("`/ncpi panel`", "the panel meetings"),
    ("`/ncpi milestone`", "the inspection's milestones: s.55 response, action plan, re-inspection"),
]
LEADS = [
    ("`/ncpi summary post`", "post the summary to this channel"),
    (
        "`/ncpi verify R2.1` · `/ncpi return R2.1 evidence does not cover nights`",
        "accept the evidence, or send it back with a reason",
    ),
    (
        "`/ncpi add R2 Train CCR staff owner:@jane due:{day}`",
        "a new action (`add` alone opens a form)",
    ),
    (
        "`/ncpi assign R2.1 @jane` · `/ncpi due R2.1 next friday`",
        "change owner or due date (the owner is told)",
    ),
    (
        "`/ncpi withdraw R2.1 superseded by the MASH review` · `/ncpi reinstate R2.1`",
        "take an action off the tracker, saying why (kept in its history; the owner is told)",
    ),
    (
        "`/ncpi rename R2.1 <title>` · `/ncpi edit R2 title <text>` · `/ncpi edit R2 text <text>`",
        "reword an action or a recommendation (every version stays in the history)",
    ),
    ("`/ncpi signoff R2 closed at panel` · `/ncpi reopen R2`", "recommendation status"),
    (
        "`/ncpi panel add {day} 10:00 AP26/04` · `/ncpi panel remove {day}`",
        "panel meetings",
    ),
    (
        "`/ncpi milestone plan {day} HMICFRS agreed a week more`",
        "move a milestone, with the reason (not the s.55 deadline: the law sets it)",
    ),
    (
        "`/ncpi findings R2` · `/ncpi findings R2 improvement Overnight supervision is delayed`",
        "the paper's findings and improvement required for a recommendation (a form, or add one)",
    ),
    (
        "`/ncpi paper` · `/ncpi paper financial No additional funding is needed`",
        "the paper's closing sections: summary, financial implications, other implications "
        "and risks, chief officer conclusion (a form, or add one)",
    ),
    (
        "`/ncpi review` · `/ncpi review R2` · `/ncpi review {day}`",
        "before a panel: include, edit or leave out each paragraph of progress in the draft",
    ),
    ("`/ncpi report`", "draft the panel update paper"),
    ("`/ncpi report response`", "draft the PCC's s.55 comments on the report (Word, to your DM)"),
]
NOTES = (
    "Refs: `R2` is a recommendation, `R2.1` an action (`2.1` works too); `AFI3` an area "
    "for improvement, `C1` a cause of concern. "
    "With several inspections tracked, name one: `NCPI:R2.1`, and `summary NCPI`, "
    "`panel NCPI`, `report NCPI`. "
    "Statuses: not started, on track, at risk, blocked, implemented. "
    "Dates: `{iso}`, `{day}` (day first), `1 March`, `tomorrow`, `next friday`, `in 2 weeks`."
)
GUARDRAIL = (
    "The tracker is about services, not children: a note that looks like it holds personal "
    "data (a date of birth, a crime reference, a phone number, an email address, a postcode) "
    "is held back until you confirm or rewrite it."
)


def dated(text: str, today: date) -> str:
    """Example dates a little ahead of today, so help never shows a year gone by."""
    day = example_day(today)
    return text.replace("{day}", f"{day:%d/%m/%Y}").replace("{iso}", day.isoformat())


def lines(rows: list[tuple[str, str]], today: date) -> str:
    return "\n".join(f"{dated(cmd, today)} — {what}" for cmd, what in rows)
