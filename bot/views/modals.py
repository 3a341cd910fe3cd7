"""Forms (conversation.outcomes.Form) as Slack modals; the guardrail's confirm and a result.

The forms themselves (fields, choices, starting values, the words between) are
conversation/forms.py's; here they are drawn as Block Kit under Slack's limits."""

from __future__ import annotations

import json

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

from bot.ids import INPUT, CallbackId
from bot.views.common import MAX_VIEW_BLOCKS, clip, context, escape, mrkdwn, section
from bot.views.notices import CONFIRM_LABELS
from conversation.outcomes import Field, Form, Line
from models.errors import UsageError

MAX_OPTIONS = 100
MAX_METADATA = 3000
MAX_LABEL = 2000
MAX_OPTION_TEXT = 75
CALLBACKS = {
    "update": CallbackId.UPDATE,
    "implemented": CallbackId.IMPLEMENTED,
    "add": CallbackId.ADD,
    "return": CallbackId.RETURN,
    "decline": CallbackId.DECLINE,
    "findings": CallbackId.FINDINGS,
    "closing": CallbackId.CLOSING,
    "review": CallbackId.REVIEW,
}
MARKS = {"warning": ":warning: ", "lock": ":lock: "}


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


def form_view(form: Form) -> View:
    """A form as a modal: a line as a section (small: a context), a field as an input
    whose block id is the field's id. A form longer than a modal holds is refused with the
    form's own words (`too_long`)."""
    blocks = [_line(p) if isinstance(p, Line) else _input(p) for p in form.body]
    if form.too_long and len(blocks) > MAX_VIEW_BLOCKS:
        raise UsageError(form.too_long)
    return _modal(
        CALLBACKS[form.kind],
        form.title,
        blocks,
        submit=form.submit,
        close=form.close,
        metadata=form.metadata,
    )


def _line(line: Line) -> Block:
    text = MARKS.get(line.mark or "", "") + mrkdwn(line.said)
    return context(text) if line.small else section(text)


def _input(f: Field) -> InputBlock:
    label = _plain(f.label, MAX_LABEL)
    hint = _plain(f.hint, MAX_LABEL) if f.hint else None
    if f.kind in ("text", "multiline"):
        return InputBlock(
            block_id=f.id,
            label=label,
            hint=hint,
            optional=f.optional,
            element=PlainTextInputElement(
                action_id=INPUT,
                multiline=f.kind == "multiline",
                initial_value=clip(f.initial, f.max_length) if f.initial else None,
                placeholder=_plain(f.placeholder, 150) if f.placeholder else None,
                max_length=f.max_length,
            ),
        )
    if f.kind == "choice":
        options = [
            Option(value=c.value, text=clip(c.label, MAX_OPTION_TEXT))
            for c in f.choices[:MAX_OPTIONS]
        ]
        initial = next((o for o in options if f.initial and o.value == f.initial), None)
        element = StaticSelectElement(action_id=INPUT, options=options, initial_option=initial)
    elif f.kind == "user":
        element = UserSelectElement(action_id=INPUT, initial_user=f.initial)
    elif f.kind == "date":
        element = DatePickerElement(action_id=INPUT, initial_date=f.initial)
    else:
        raise ValueError(f"a form field of an unknown kind: {f.kind!r}")
    return InputBlock(
        block_id=f.id, label=label, hint=hint, optional=f.optional or None, element=element
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
