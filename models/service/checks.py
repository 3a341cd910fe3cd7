"""Checks on what people type: titles and notes (length, personal data)."""

from __future__ import annotations

from models.errors import NeedsConfirmation, UsageError
from models.guardrail import confirmation_prompt, personal_data_findings

MAX_TITLE = 300


MAX_NOTE = 3000


def check_note(
    note: str | None, *, confirmed: bool, what: str = "note", limit: int = MAX_NOTE
) -> str | None:
    if note is None:
        return None
    note = note.strip()
    if not note:
        return None
    if len(note) > limit:
        raise UsageError(f"That {what} is {len(note)} characters; keep it under {limit}.")
    if not confirmed:
        findings = personal_data_findings(note)
        if findings:
            raise NeedsConfirmation(confirmation_prompt(findings, what=what), findings)
    return note


def check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise UsageError(
            "The action needs a title, e.g. `add R2 Train CCR staff owner:@jane due:next friday`."
        )
    if len(title) > MAX_TITLE:
        raise UsageError(f"That title is {len(title)} characters; keep it under {MAX_TITLE}.")
    return title


def append_line(existing: str | None, item: str) -> str:
    return item if not existing else f"{existing}\n{item}"
