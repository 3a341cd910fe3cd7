"""What a filled-in form asks for: the change its answers make, for every front end. A form
(conversation/forms.py) comes back as its kind, the value of each field by the field's id,
and the ref it was opened about; `submitted` turns that into the operation to run, where a
refusal is shown (the field it is about), and the result's title. A field left as the
change cannot take is refused under that field (`Unanswered`), before anything runs."""

from __future__ import annotations

from dataclasses import dataclass

from conversation.forms import (
    ACTION,
    CHOICE,
    DUE,
    EVIDENCE,
    FINDINGS_SECTIONS,
    NEW,
    NOTE,
    OWNER,
    REASON,
    REC,
    STATUS,
    TITLE,
    WORDING,
    candidate_field,
    paragraph_field,
)
from models.errors import DateOutOfRange, NcpiError, UsageError
from models.kinds import EXAMPLES
from models.service import split_paragraphs
from models.tables import CLOSING_SECTIONS, PaperSection, Status

Answers = dict[str, str | None]


@dataclass(frozen=True)
class Submitted:
    op: str  # the operation (conversation/ops/) the answers run
    args: dict
    at: str  # the field a refusal of the change is shown under
    done: str  # the result's title, e.g. "Updated"

    def under(self, e: NcpiError) -> str:
        """The field a refusal goes under: a day the tracker does not take, under the day
        picked; anything else, under `at`."""
        return DUE if isinstance(e, DateOutOfRange) and self.args.get("due") else self.at


class Unanswered(UsageError):
    """A field the change cannot take as it is: said under that field, nothing run."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotOurs(Exception):
    """A form that names nothing it could be about: not one this bot opened."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def submitted(kind: str, f: Answers, *, ref: str | None, panel: int | None = None) -> Submitted:
    """The change form `kind`'s answers `f` make (`ref`: what it was opened about; `panel`:
    the panel meeting a review is for)."""
    if kind == "update":
        return _update(f, ref or f.get(ACTION))
    if kind in ONE_FIELD:
        op, key, field, done = ONE_FIELD[kind]
        if ref is None:
            raise NotOurs("a form about one action that names none")
        return Submitted(op, {"ref": ref, key: f.get(field)}, field, done)
    if kind == "add":
        if not f.get(REC):
            raise Unanswered(REC, f"Choose where it goes, e.g. {EXAMPLES}.")
        args = {
            "rec": f.get(REC),
            "title": f.get(TITLE) or "",
            "owner": f.get(OWNER),
            "due": f.get(DUE),
        }
        return Submitted("add", args, TITLE, "Action added")
    if kind == "findings":
        return _wording("findings_set", {"rec": ref}, FINDINGS_SECTIONS, f)
    if kind == "closing":
        return _wording("closing_set", {"inspection": ref}, CLOSING_SECTIONS, f)
    if kind == "review":
        if panel is None:
            raise NotOurs("a review form that names no panel")
        return _review(panel, f)
    raise NotOurs("a form of an unknown kind")


# A form about one action with one field: its operation, the argument the field fills, the
# field, and the result's title.
ONE_FIELD = {
    "implemented": ("done", "evidence", EVIDENCE, "Implemented"),
    "return": ("return", "reason", REASON, "Returned"),
    "decline": ("decline", "reason", REASON, "Declined"),
}


def _update(f: Answers, ref: str | None) -> Submitted:
    """Implemented needs its evidence (the evidence field, or else the note); any other
    status, or none, is an update with a note."""
    if f.get(STATUS) == Status.IMPLEMENTED:
        evidence = f.get(EVIDENCE) or f.get(NOTE)
        if not evidence:
            raise Unanswered(
                EVIDENCE, "Add the evidence: a link, or a short note of what shows it is done."
            )
        return Submitted("done", {"ref": ref, "evidence": evidence}, EVIDENCE, "Implemented")
    args = {"ref": ref, "status": f.get(STATUS), "note": f.get(NOTE), "evidence": f.get(EVIDENCE)}
    return Submitted("update", args, NOTE, "Updated")


def _wording(op: str, args: dict, among: tuple[PaperSection, ...], f: Answers) -> Submitted:
    """The paper's wording: each section's fields in order, each split at blank lines, the
    new paragraph's field last; an emptied field leaves its paragraph out."""
    for s in among:
        fields = sorted(
            (int(k.split(".")[1]), v)
            for k, v in f.items()
            if k.startswith(f"{s}.") and k.split(".")[1].isdigit()
        )
        fields.append((len(fields) + 1, f.get(paragraph_field(s, NEW))))
        args[str(s)] = [p for _, v in fields for p in split_paragraphs(v)]
    return Submitted(op, args, paragraph_field(among[0], NEW), "Paper wording")


def _review(panel: int, f: Answers) -> Submitted:
    """Each paragraph chosen (one left unchosen stays unreviewed), with its paper wording
    for an edit."""
    choices = []
    for field_id, value in f.items():
        kind, _, row = field_id.partition(".")
        if kind != CHOICE or not value or not row.isdigit():
            continue
        wording = f.get(candidate_field(WORDING, int(row)))
        choices.append({"update_id": int(row), "choice": value, "wording": wording})
    first = next((k for k in f if k.startswith(WORDING + ".")), CHOICE)
    return Submitted("review_set", {"panel_id": panel, "choices": choices}, first, "Review")
