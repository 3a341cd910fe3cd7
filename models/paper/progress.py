"""Progress since the last panel: what people said, attributed by name and dated, and the
few events a person would write as a sentence ("R2.2 was verified by … on …"). The system's
own lines (created, imported, assigned, re-dated, plain status changes) are never printed;
a note kept against the personal-data check is never printed either."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from models.guardrail import personal_data_findings
from models.kinds import parse_item, spelled
from models.paper.phrases import long_day
from models.people import USER_ID
from models.service.audit import said_words
from models.tables import ItemKind, Member, RecStatus, Role, Source, Status, Update, status_label


@dataclass
class Progress:
    """One paragraph of progress: what a person said (attributed and dated), or an event."""

    day: date
    who: str
    text: str
    said: bool = True

    def __str__(self) -> str:
        if not self.said:
            return self.text
        text = self.text.rstrip(". ")
        return f"{text} ({self.who}, {long_day(self.day)})."


@dataclass
class Slip:
    ref: str
    before: date | None
    after: date
    reason: str | None


def named(actor: str, members: dict[str, Member]) -> str:
    """A person by name, never by id: the member table's name, else their role."""
    m = members.get(actor)
    if m is None:
        return "the tracker import" if actor == "import" else "a member of staff"
    if m.display_name and m.display_name != m.user_id:
        return m.display_name
    return "a lead" if m.role == Role.LEAD else "the action owner"


def label(value: str | None) -> str:
    return status_label(value) or "none"


WITHHELD = Progress(day=date.min, who="", text="")
# A person as a note names them (`@U123`: the conversation's words for a mention).
NAMED_IN_TEXT = re.compile(rf"@({USER_ID.pattern})\b")


def mentioned(texts: list[str | None]) -> set[str]:
    """The people these notes name, by id."""
    return {m.group(1) for t in texts if t for m in NAMED_IN_TEXT.finditer(t)}


def with_names(text: str, members: dict[str, Member]) -> str:
    """A note as the paper prints it: each person it names by name (or role), never by id."""
    return NAMED_IN_TEXT.sub(lambda m: named(m.group(1), members), text)


def what_was_said(u: Update, ref: str, members: dict[str, Member]) -> Progress | None:
    """What a person said or did, as a sentence of the paper; None for the system's own lines
    (created, imported, assigned, re-dated, plain status changes: those are counted).
    A note that trips the personal-data check is never printed: `WITHHELD`."""
    words = said_words(u)
    if words and personal_data_findings(words):
        return WITHHELD
    who = named(u.actor, members)
    day = u.at.date()
    f = u.field
    if f == "status" and u.after == Status.VERIFIED:
        return Progress(day, who, f"{ref} was verified by {who} on {long_day(day)}.", said=False)
    if f == "status" and u.after == Status.WITHDRAWN:
        why = u.note.strip().rstrip(".") if u.note else ""
        text = f"{ref} was withdrawn by {who} on {long_day(day)}"
        return Progress(day, who, text + (f": {why}." if why else "."), said=False)
    if f == "status" and u.before == Status.WITHDRAWN:
        text = f"{ref} was reinstated by {who} on {long_day(day)}."
        return Progress(day, who, text, said=False)
    if f == "status" and u.after == Status.IMPLEMENTED:
        return Progress(
            day, who, f"{ref} was reported implemented by {who} on {long_day(day)}.", said=False
        )
    if f == "rec_status":
        if u.source == Source.IMPORT:
            return None  # the status a workbook set up, not a sign-off since the last panel
        done = "signed off" if u.after == RecStatus.SIGNED_OFF else "reopened"
        kind, number = parse_item(ref) or (ItemKind.RECOMMENDATION, 0)
        text = f"{spelled(kind, number)} was {done} by {who} on {long_day(day)}"
        why = u.note.strip().rstrip(".") if u.note else ""
        return Progress(day, who, text + (f": {why}." if why else "."), said=False)
    if f == "evidence" and u.after:
        return Progress(day, who, f"Evidence for {ref}: {with_names(u.after, members)}")
    if f in ("note", "status") and u.note:
        return Progress(day, who, f"{ref}: {with_names(u.note, members)}")
    return None
