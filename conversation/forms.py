"""The forms a person fills in, for every front end: which fields each asks, their labels,
choices and starting values, the words between them, and what comes back with the answer
(`Form.metadata`). A front end draws a `Form` (Slack: a modal) and reads the answers back by
each field's id, the names here.
"""

from __future__ import annotations

from datetime import date

from conversation.outcomes import Choice, Field, Form, Line
from conversation.said import Person, Quote, Said, Strong, said
from conversation.wording import clip
from models.kinds import ANY_ITEM
from models.paper.review import Candidate, Review
from models.parsing import STATUS_HELP
from models.service import MAX_PARAGRAPH, SECTION_LABEL, ActionView
from models.tables import CLOSING_SECTIONS, PaperSection, ReviewChoice, Status
from models.wording import long_day, panel_name

# What each field's answer comes back under.
STATUS, NOTE, EVIDENCE, TITLE, OWNER, DUE = "status", "note", "evidence", "title", "owner", "due"
REC, REASON, ACTION, TIME = "rec", "reason", "action", "time"

STATUS_CHOICES = [
    Status.NOT_STARTED,
    Status.ON_TRACK,
    Status.AT_RISK,
    Status.BLOCKED,
    Status.IMPLEMENTED,
]
NO_PERSONAL = "No personal details: the tracker is about services, not children."


def _status_choices() -> tuple[Choice, ...]:
    return tuple(Choice(str(s), s.label.capitalize()) for s in STATUS_CHOICES)


def _action_head(a: ActionView) -> Line:
    return Line(said(Strong(a.typed_ref), " ", clip(a.title, 2800)))


def update(action: ActionView | None, choices: list[ActionView] | None = None) -> Form:
    """Status, note, evidence link. Without an action: pick one of `choices` first."""
    body: list[Field | Line] = []
    if action is not None:
        body.append(_action_head(action))
    else:
        options = tuple(
            Choice(a.qualified_ref, f"{a.typed_ref} {a.title}") for a in (choices or [])
        )
        if not options:
            return Form(
                "update",
                "Update an action",
                (Line(("You have no open actions to update.",)),),
                opening="Opening the update form",
                submit=None,
                close="Close",
            )
        body.append(Field(ACTION, "Action", kind="choice", choices=options))
    current = None
    if action is not None and action.status in [str(s) for s in STATUS_CHOICES]:
        current = action.status
    body += [
        Field(
            STATUS,
            "Status",
            kind="choice",
            choices=_status_choices(),
            initial=current,
            hint=STATUS_HELP,
        ),
        Field(NOTE, "Note", kind="multiline", optional=True, placeholder="What has changed?"),
        Field(
            EVIDENCE,
            "Evidence (link or short note)",
            optional=True,
            placeholder="https://…",
            max_length=2000,
        ),
        Line((NO_PERSONAL,), small=True),
    ]
    return Form(
        "update",
        "Update an action",
        tuple(body),
        opening=f"Opening the update form for {action.ref}"
        if action
        else "Opening the update form",
        metadata={"ref": action.qualified_ref} if action else {},
    )


def implemented(action: ActionView) -> Form:
    evidence = Field(
        EVIDENCE,
        "Evidence that it is done",
        kind="multiline",
        placeholder="A link to the policy, minutes or audit, or a short note",
        max_length=2000,
    )
    after = "A lead checks the evidence and verifies the action, or returns it."
    opening = f"Opening the form to mark {action.ref} implemented"
    return _asking("implemented", "Mark implemented", action, evidence, after, opening=opening)


def returning(action: ActionView) -> Form:
    why = "e.g. the evidence does not cover night shifts"
    reason = Field(REASON, "Why is it going back?", kind="multiline", placeholder=why)
    after = "The owner is told, and the action goes back to on track."
    opening = f"Opening the form to return {action.ref}"
    return _asking("return", "Return an action", action, reason, after, "Return", opening=opening)


def declining(action: ActionView) -> Form:
    why = "e.g. this sits with the MASH, not the CCR"
    reason = Field(REASON, "Why are you declining?", kind="multiline", placeholder=why)
    after = "The lead who assigned it is told, so they can find the right owner."
    return _asking("decline", "Decline an action", action, reason, after, "Decline")


def _asking(
    kind: str,
    title: str,
    action: ActionView,
    asked: Field,
    after: str,
    submit: str | None = None,
    *,
    opening: str = "",
) -> Form:
    """A form about one action that asks one thing, with a small line on what happens next
    (`submit`: what its button says, the title unless given)."""
    return Form(
        kind,
        title,
        (_action_head(action), asked, Line((after,), small=True)),
        opening=opening,
        submit=submit or title,
        metadata={"ref": action.qualified_ref},
    )


def adding(
    *,
    rec: str | None = None,
    title: str | None = None,
    owner: str | None = None,
    due: date | None = None,
    recs: list[tuple[str, str, str]] | None = None,
) -> Form:
    """`recs`: (the ref the choice carries, e.g. `NCPI:R2`; the ref shown; the title)."""
    options = tuple(Choice(value, f"{shown} {t}") for value, shown, t in (recs or []))
    if options:
        picked = next((o.value for o in options if rec and _names(o.value, rec)), None)
        which = Field(REC, ANY_ITEM.capitalize(), kind="choice", choices=options, initial=picked)
    else:
        which = Field(REC, ANY_ITEM.capitalize(), initial=rec)
    return Form(
        "add",
        "Add an action",
        (
            which,
            Field(TITLE, "Action", initial=title, max_length=300),
            Field(OWNER, "Owner", kind="user", optional=True, initial=owner),
            Field(DUE, "Due", kind="date", optional=True, initial=due.isoformat() if due else None),
        ),
        opening="Opening the form to add an action",
        submit="Add",
    )


def _names(value: str, rec: str) -> bool:
    """Whether the choice `value` (`NCPI:R2`) is the recommendation `rec` as typed (`R2`,
    or `NCPI:R2`)."""
    value, rec = value.lower(), rec.lower()
    return value == rec or (":" not in rec and value.endswith(":" + rec))


# The paper's wording: one field a paragraph, `<section>.<n>`, and `<section>.new` for more.
FINDINGS_SECTIONS = (PaperSection.FINDINGS, PaperSection.IMPROVEMENT)
NEW = "new"


def paragraph_field(section: str, position: int | str) -> str:
    """The id of one paragraph's field: `findings.2`, `improvement.new`."""
    return f"{section}.{position}"


def findings(*, ref: str, shown: str, title: str, sections: dict[str, list[str]]) -> Form:
    """A recommendation's findings and improvement required, one multi-line field a
    paragraph (emptied: left out) and one more for new paragraphs (a blank line between)."""
    head = Line(said(Strong(shown), " ", clip(title, 2800)))
    return Form(
        "findings",
        "Paper wording",
        _wording(head, FINDINGS_SECTIONS, sections),
        opening=f"Opening the paper wording for {shown}",
        metadata={"ref": ref},
        too_long=(
            f"{shown} has too many paragraphs for one form; edit them in the workbook's "
            "Findings sheet (`ncpi-bot export`, then `ncpi-bot import`)."
        ),
    )


def closing(*, inspection: str, shown: str, sections: dict[str, list[str]]) -> Form:
    """The paper's closing sections (2 summary to 5 chief officer conclusion), as the
    findings form shows a recommendation's: they carry forward to every later paper."""
    head = Line(
        said(
            Strong(shown),
            ": the paper's closing sections. Written once, they carry forward to every later "
            "paper until rewritten; a section left empty prints a placeholder (the summary: "
            "the tracker's own account).",
        )
    )
    return Form(
        "closing",
        "Paper wording",
        _wording(head, CLOSING_SECTIONS, sections),
        opening="Opening the paper's closing sections",
        metadata={"ref": inspection},  # the form is about the inspection: its code
        too_long=(
            "The closing sections have too many paragraphs for one form; edit them in the "
            "workbook's Paper sheet (`ncpi-bot export`, then `ncpi-bot import`)."
        ),
    )


def _wording(
    head: Line, among: tuple[PaperSection, ...], sections: dict[str, list[str]]
) -> tuple[Field | Line, ...]:
    """Each section's paragraphs, one multi-line field each, and a field for new ones."""
    body: list[Field | Line] = [head]
    for s in among:
        label = SECTION_LABEL[s]
        body.append(Line((Strong(label),)))
        paragraphs = enumerate(sections.get(s, []), start=1)
        body += [_paragraph(s, i, f"{label}, paragraph {i}", initial=t) for i, t in paragraphs]
        more = "One paragraph, or several with a blank line between"
        body.append(_paragraph(s, NEW, f"Add to {label.lower()}", placeholder=more))
    body.append(
        Line(
            (
                "This is the paper's wording, printed as AP23/07 prints it; empty a field to "
                "leave that paragraph out. The history keeps every version. No personal details.",
            ),
            small=True,
        )
    )
    return tuple(body)


def _paragraph(section: str, n: int | str, label: str, **shown: str) -> Field:
    """A paragraph of the paper's wording (`n`: its number, or NEW), optional: emptied, it
    is left out."""
    return Field(
        paragraph_field(section, n),
        label,
        kind="multiline",
        optional=True,
        max_length=MAX_PARAGRAPH,
        **shown,
    )


# The review of one recommendation's progress: `choice.<row id>` and `wording.<row id>`.
CHOICE, WORDING = "choice", "wording"
PER_FORM = 30  # candidates in one form
CHOICE_TEXT = {
    ReviewChoice.INCLUDE: "Include as said",
    ReviewChoice.EDIT: "Edit: print my wording",
    ReviewChoice.LEAVE_OUT: "Leave out",
}


def candidate_field(kind: str, update_id: int) -> str:
    return f"{kind}.{update_id}"


def _candidate_choices(c: Candidate) -> tuple[Choice, ...]:
    choices = [ReviewChoice.EDIT, ReviewChoice.LEAVE_OUT] if c.withheld else list(ReviewChoice)
    return tuple(Choice(str(ch), CHOICE_TEXT[ch]) for ch in choices)


def _said(c: Candidate) -> Line:
    who = (c.who, ", ", long_day(c.day))
    done: Said = ()
    if c.choice and c.reviewed_by:
        done = (" · reviewed by ", Person(c.reviewed_by), ": ", c.choice.label)
    if c.withheld:
        return Line(
            said(
                Strong(c.ref),
                " (",
                who,
                ") — kept against the personal-data check, so it is never printed as written. "
                "Rewrite it as paper wording, or leave it out:",
                Quote(clip(c.said, 2500)),
                done,
            ),
            mark="lock",
        )
    return Line(said(Strong(c.ref), " (", who, ")", Quote(clip(c.said, 2700)), done))


def review(r: Review, rec: str) -> Form:
    """One recommendation's candidates: a choice and a paper-wording field each."""
    cs = sorted(r.of(rec), key=lambda c: c.choice is not None)[:PER_FORM]  # unreviewed first
    head = Line(
        said(
            Strong(rec),
            " ",
            clip(r.titles.get(rec, ""), 200),
            " — for the panel on ",
            panel_name(r.panel_day, r.paper_ref),
        )
    )
    opening = f"Opening the review of {rec}"
    if not cs:
        nothing = Line(("Nothing has been said on it since the last panel.",))
        return Form("review", f"Review {rec}", (head, nothing), opening, submit=None, close="Close")
    body: list[Field | Line] = [head]
    for c in cs:
        body += [
            _said(c),
            Field(
                candidate_field(CHOICE, c.update_id),
                f"{c.ref}: in the paper",
                kind="choice",
                optional=True,
                choices=_candidate_choices(c),
                initial=str(c.choice) if c.choice else None,
            ),
            Field(
                candidate_field(WORDING, c.update_id),
                "Paper wording (for Edit)",
                kind="multiline",
                optional=True,
                initial=clip(c.initial_wording, MAX_PARAGRAPH) or None,
                max_length=MAX_PARAGRAPH,
            ),
        ]
    more = len(r.of(rec)) - len(cs)
    body.append(
        Line(
            (
                "Edit changes the paper's wording only: the note stays in history as it was "
                "said. Left unchosen: unreviewed, marked for the author. No personal details."
                + (f" Save, then open it again for the other {more}." if more > 0 else ""),
            ),
            small=True,
        )
    )
    return Form(
        "review", f"Review {rec}", tuple(body), opening, metadata={"ref": f"{r.panel_id}|{rec}"}
    )
