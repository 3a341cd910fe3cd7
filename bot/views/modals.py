"""Modals: update, implemented, add action, return, decline, guardrail confirm, result."""

from __future__ import annotations

import json
from datetime import date

from slack_sdk.models.blocks import (
    Block,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.ids import INPUT, BlockId, CallbackId
from bot.views.common import MAX_VIEW_BLOCKS, clip, context, escape, section
from bot.views.notices import CONFIRM_LABELS
from models.errors import UsageError
from models.parsing import STATUS_HELP
from models.service import MAX_PARAGRAPH, SECTION_LABEL, ActionView
from models.tables import CLOSING_SECTIONS, PaperSection, Status

MAX_OPTIONS = 100
MAX_METADATA = 3000

STATUS_CHOICES = [
    Status.NOT_STARTED,
    Status.ON_TRACK,
    Status.AT_RISK,
    Status.BLOCKED,
    Status.IMPLEMENTED,
]


def _plain(text: str, limit: int = 75) -> PlainTextObject:
    return PlainTextObject(text=clip(text, limit))


def _modal(
    callback_id: str,
    title: str,
    blocks: list[Block],
    *,
    submit: str | None = "Save",
    metadata: dict | None = None,
    close: str = "Cancel",
) -> View:
    meta = json.dumps(metadata or {}, separators=(",", ":"))
    if len(meta) > MAX_METADATA:
        raise ValueError("private_metadata over Slack's 3000 characters")
    return View(
        type="modal",
        callback_id=str(callback_id),
        title=_plain(title, 24),
        submit=_plain(submit, 24) if submit else None,
        close=_plain(close, 24),
        private_metadata=meta,
        blocks=blocks[:MAX_VIEW_BLOCKS],
    )


def _text_input(
    block_id: str,
    label: str,
    *,
    multiline: bool = False,
    optional: bool = True,
    initial: str | None = None,
    placeholder: str | None = None,
    max_length: int = 3000,
) -> InputBlock:
    return InputBlock(
        block_id=str(block_id),
        label=_plain(label, 2000),
        optional=optional,
        element=PlainTextInputElement(
            action_id=INPUT,
            multiline=multiline,
            initial_value=clip(initial, max_length) if initial else None,
            placeholder=_plain(placeholder, 150) if placeholder else None,
            max_length=max_length,
        ),
    )


def _status_options() -> list[Option]:
    return [Option(value=str(s), text=s.label.capitalize()) for s in STATUS_CHOICES]


def _action_header(a: ActionView) -> Block:
    return section(f"*{a.typed_ref}* {escape(clip(a.title, 2800))}")


def update_modal(action: ActionView | None, choices: list[ActionView] | None = None) -> View:
    """Status, note, evidence link. Without an action: pick one of `choices` first."""
    blocks: list[Block] = []
    if action is not None:
        blocks.append(_action_header(action))
    else:
        options = [
            Option(value=a.qualified_ref, text=clip(f"{a.typed_ref} {a.title}", 75))
            for a in (choices or [])[:MAX_OPTIONS]
        ]
        if not options:
            blocks.append(section("You have no open actions to update."))
            return _modal(CallbackId.UPDATE, "Update an action", blocks, submit=None, close="Close")
        blocks.append(
            InputBlock(
                block_id=BlockId.ACTION,
                label=_plain("Action"),
                element=StaticSelectElement(action_id=INPUT, options=options),
            )
        )
    current = None
    if action is not None and action.status in [str(s) for s in STATUS_CHOICES]:
        current = next(o for o in _status_options() if o.value == action.status)
    blocks.append(
        InputBlock(
            block_id=BlockId.STATUS,
            label=_plain("Status"),
            hint=_plain(STATUS_HELP, 2000),
            element=StaticSelectElement(
                action_id=INPUT, options=_status_options(), initial_option=current
            ),
        )
    )
    blocks.append(
        _text_input(BlockId.NOTE, "Note", multiline=True, placeholder="What has changed?")
    )
    blocks.append(
        _text_input(
            BlockId.EVIDENCE,
            "Evidence (link or short note)",
            placeholder="https://…",
            max_length=2000,
        )
    )
    blocks.append(context("No personal details: the tracker is about services, not children."))
    meta = {"ref": action.qualified_ref} if action else {}
    return _modal(CallbackId.UPDATE, "Update an action", blocks, metadata=meta)


def implemented_modal(action: ActionView) -> View:
    blocks: list[Block] = [
        _action_header(action),
        _text_input(
            BlockId.EVIDENCE,
            "Evidence that it is done",
            multiline=True,
            optional=False,
            placeholder="A link to the policy, minutes or audit, or a short note",
            max_length=2000,
        ),
        context("A lead checks the evidence and verifies the action, or returns it."),
    ]
    return _modal(
        CallbackId.IMPLEMENTED,
        "Mark implemented",
        blocks,
        submit="Mark implemented",
        metadata={"ref": action.qualified_ref},
    )


def add_modal(
    *,
    rec: str | None = None,
    title: str | None = None,
    owner: str | None = None,
    due: date | None = None,
    recs: list[tuple[str, str, str]] | None = None,
) -> View:
    """`recs`: (the ref the choice carries, e.g. `NCPI:R2`; the ref shown; the title)."""
    options = [
        Option(value=value, text=clip(f"{shown} {t}", 75))
        for value, shown, t in (recs or [])[:MAX_OPTIONS]
    ]
    initial = next((o for o in options if rec and _names(o.value, rec)), None)
    blocks: list[Block] = [
        InputBlock(
            block_id=BlockId.REC,
            label=_plain("Recommendation"),
            element=StaticSelectElement(action_id=INPUT, options=options, initial_option=initial)
            if options
            else PlainTextInputElement(action_id=INPUT, initial_value=rec),
        ),
        _text_input(BlockId.TITLE, "Action", optional=False, initial=title, max_length=300),
        InputBlock(
            block_id=BlockId.OWNER,
            label=_plain("Owner"),
            optional=True,
            element=UserSelectElement(action_id=INPUT, initial_user=owner),
        ),
        InputBlock(
            block_id=BlockId.DUE,
            label=_plain("Due"),
            optional=True,
            element=DatePickerElement(
                action_id=INPUT, initial_date=due.isoformat() if due else None
            ),
        ),
    ]
    return _modal(CallbackId.ADD, "Add an action", blocks, submit="Add")


def _names(value: str, rec: str) -> bool:
    """Whether the choice `value` (`NCPI:R2`) is the recommendation `rec` as typed (`R2`,
    or `NCPI:R2`)."""
    value, rec = value.lower(), rec.lower()
    return value == rec or (":" not in rec and value.endswith(":" + rec))


def return_modal(action: ActionView) -> View:
    blocks: list[Block] = [
        _action_header(action),
        _text_input(
            BlockId.REASON,
            "Why is it going back?",
            multiline=True,
            optional=False,
            placeholder="e.g. the evidence does not cover night shifts",
        ),
        context("The owner is told, and the action goes back to on track."),
    ]
    return _modal(
        CallbackId.RETURN,
        "Return an action",
        blocks,
        submit="Return",
        metadata={"ref": action.qualified_ref},
    )


def decline_modal(action: ActionView) -> View:
    blocks: list[Block] = [
        _action_header(action),
        _text_input(
            BlockId.REASON,
            "Why are you declining?",
            multiline=True,
            optional=False,
            placeholder="e.g. this sits with the MASH, not the CCR",
        ),
        context("The lead who assigned it is told, so they can find the right owner."),
    ]
    return _modal(
        CallbackId.DECLINE,
        "Decline an action",
        blocks,
        submit="Decline",
        metadata={"ref": action.qualified_ref},
    )


def confirm_note_modal(prompt: str, held: str, *, subject: str = "note") -> View:
    """Pushed over a modal whose note looks like personal data (or whose due date is in the
    past): confirm, or go back."""
    keep, rewrite = CONFIRM_LABELS[subject]
    blocks: list[Block] = [
        section(":warning: " + escape(prompt)),
        context(f"{rewrite} takes you back to your form."),
    ]
    return _modal(
        CallbackId.CONFIRM_NOTE,
        f"Check this {subject}",
        blocks,
        submit=keep,
        close=rewrite,
        metadata={"held": held},
    )


def result_modal(title: str, text: str) -> View:
    return _modal("ncpi_result", title, [section(text)], submit=None, close="Done")


FINDINGS_SECTIONS = (PaperSection.FINDINGS, PaperSection.IMPROVEMENT)
NEW = "new"


def paragraph_block(section: str, position: int | str) -> str:
    """The block id of one paragraph's field: `findings.2`, `improvement.new`."""
    return f"{section}.{position}"


def findings_modal(*, ref: str, shown: str, title: str, sections: dict[str, list[str]]) -> View:
    """A recommendation's findings and improvement required, one multi-line field a
    paragraph (emptied: left out) and one more for new paragraphs (a blank line between)."""
    head = section(f"*{escape(shown)}* {escape(clip(title, 2800))}")
    too_many = (
        f"{shown} has too many paragraphs for one form; edit them in the workbook's "
        "Findings sheet (`ncpi-bot export`, then `ncpi-bot import`)."
    )
    blocks = _wording_blocks(head, FINDINGS_SECTIONS, sections, too_many)
    return _modal(
        CallbackId.FINDINGS, "Paper wording", blocks, submit="Save", metadata={"ref": ref}
    )


def closing_modal(*, inspection: str, shown: str, sections: dict[str, list[str]]) -> View:
    """The paper's closing sections (2 summary to 5 chief officer conclusion), as the
    findings form shows a recommendation's: they carry forward to every later paper."""
    head = section(
        f"*{escape(shown)}*: the paper's closing sections. Written once, they carry forward "
        "to every later paper until rewritten; a section left empty prints a placeholder "
        "(the summary: the tracker's own account)."
    )
    too_many = (
        "The closing sections have too many paragraphs for one form; edit them in the "
        "workbook's Paper sheet (`ncpi-bot export`, then `ncpi-bot import`)."
    )
    blocks = _wording_blocks(head, CLOSING_SECTIONS, sections, too_many)
    return _modal(
        CallbackId.CLOSING,
        "Paper wording",
        blocks,
        submit="Save",
        metadata={"ref": inspection},  # the form is about the inspection: its code
    )


def _wording_blocks(
    head: Block, among: tuple[PaperSection, ...], sections: dict[str, list[str]], too_many: str
) -> list[Block]:
    """Each section's paragraphs, one multi-line field each, and a field for new ones."""
    blocks: list[Block] = [head]
    for s in among:
        label = SECTION_LABEL[s]
        paras = sections.get(s, [])
        blocks.append(section(f"*{label}*"))
        for i, text in enumerate(paras, start=1):
            blocks.append(
                _text_input(
                    paragraph_block(s, i),
                    f"{label}, paragraph {i}",
                    multiline=True,
                    initial=text,
                    max_length=MAX_PARAGRAPH,
                )
            )
        blocks.append(
            _text_input(
                paragraph_block(s, NEW),
                f"Add to {label.lower()}",
                multiline=True,
                placeholder="One paragraph, or several with a blank line between",
                max_length=MAX_PARAGRAPH,
            )
        )
    blocks.append(
        context(
            "This is the paper's wording, printed as AP23/07 prints it; empty a field to leave "
            "that paragraph out. The history keeps every version. No personal details."
        )
    )
    if len(blocks) > MAX_VIEW_BLOCKS:
        raise UsageError(too_many)
    return blocks
