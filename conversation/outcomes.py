"""What an operation answers, for any front end to render: plain data, people as ids.

- `Done`: what a change did, told to whoever made it (its sentence is `wording.line`).
- `Tell`: someone else to tell of it once it has committed (a DM), with what to offer them.
- `Offer`: a next step, as an intent (a change: "accept", "verify"; "draft_report") and the
  value it carries; the front end draws it as a button, a card action, or a command to type.
- `Held`: a change the guardrail held back, waiting for its author to confirm it; nothing
  is written until then. The front end carries `op` and `args` in its confirm control.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from conversation.said import Said, from_data, to_data


@dataclass(frozen=True)
class Offer:
    label: str
    intent: str  # what choosing it does: a change ("verify", "on_track"), "draft_report"
    value: str  # what it carries: the action's ref
    style: str | None = None  # "primary" (the step expected), "danger"


@dataclass
class Tell:
    person: str  # whom to tell, by id
    kind: str  # what about, for the record of messages sent ("verified", "handover")
    about: list[int]  # the actions it concerns (a reply to it becomes a note on them)
    said: Said
    short: Said | None = None  # the one-line notification, where it is not `said`
    detail: Said | None = None  # the action as it now stands, or a next step
    quote: Said | None = None  # what the actor wrote with it
    offers: list[Offer] = field(default_factory=list)
    subject: str | None = None  # the action the offers are about (its qualified ref)


@dataclass
class Done:
    """A change made. Its sentence, unless `said` gives another: "<subject> <title> — <what>,
    recorded <when> by you<then>." and, in one line, "<subject> — <what>, recorded <when>
    by you" (or `short`)."""

    kind: str  # the operation that did it
    subject: str  # what it was about, as people write it: "R2.1", "Closing sections"
    what: Said  # what happened to it: "on track, note added"
    when: str | None = None  # when it was recorded, the local time: "10:42"
    title: str | None = None  # the subject's title, where the sentence names it
    by_you: bool = True
    then: Said | None = None  # said after "by you": the reason given
    said: Said | None = None  # the whole sentence, where it is not of the usual shape
    short: Said | None = None  # the one line, where it is not of the usual shape
    detail: Said | None = None  # a second line: the action as it now stands, a next step
    tells: list[Tell] = field(default_factory=list)
    repeated: bool = False  # the first answer to a request made again

    def to_data(self) -> dict:
        """What a receipt keeps: the answer, not whom it told (they were told once)."""
        return {
            "v": 1,
            "kind": self.kind,
            "subject": self.subject,
            "what": to_data(self.what),
            "when": self.when,
            "title": self.title,
            "by_you": self.by_you,
            "then": to_data(self.then),
            "said": to_data(self.said),
            "short": to_data(self.short),
            "detail": to_data(self.detail),
        }

    @classmethod
    def from_data(cls, data: dict) -> Done:
        if data.get("v") != 1:  # kept before answers were outcomes: its one line, as sent
            text = (str(data.get("text") or ""),)
            return cls(kind="earlier", subject="", what=(), said=text, short=text, repeated=True)
        return cls(
            kind=data["kind"],
            subject=data["subject"],
            what=from_data(data["what"]) or (),
            when=data.get("when"),
            title=data.get("title"),
            by_you=bool(data.get("by_you")),
            then=from_data(data.get("then")),
            said=from_data(data.get("said")),
            short=from_data(data.get("short")),
            detail=from_data(data.get("detail")),
            repeated=True,
        )


@dataclass(frozen=True)
class Held:
    prompt: str  # the guardrail's question (a domain sentence: people as person() tokens)
    subject: str  # what it asks about: a "note", or a past "date"
    op: str  # the change held, to run again confirmed
    args: dict


Answer = Done | Held


@dataclass(frozen=True)
class Choice:
    value: str  # what choosing it sends back
    label: str


@dataclass(frozen=True)
class Field:
    """One thing the form asks: `kind` text, multiline, choice, date (ISO) or user (an id).
    `id` is what its answer comes back under; `initial` is a text's words, a choice's value,
    a date's ISO day or a person's id."""

    id: str
    label: str
    kind: str = "text"
    optional: bool = False
    initial: str | None = None
    choices: tuple[Choice, ...] = ()
    placeholder: str | None = None
    hint: str | None = None
    max_length: int = 3000


@dataclass(frozen=True)
class Line:
    """Words shown in a form between its fields; `small` for a note beneath, `mark` a small
    picture before them ("warning", "lock")."""

    said: Said
    small: bool = False
    mark: str | None = None


@dataclass(frozen=True)
class Form:
    """A form to fill in: what submitting it does (`kind`: "update", "implemented", "add",
    "return", "decline", "findings", "closing", "review"), its title, its lines and fields in
    order, and `metadata`, plain data the answer comes back with (the action's ref). No
    `submit`: there is nothing to answer, only to close. `too_long`: the refusal where a
    front end cannot show it all. `opening`: the line said while it opens."""

    kind: str
    title: str
    body: tuple[Field | Line, ...]
    opening: str = ""
    submit: str | None = "Save"
    close: str = "Cancel"
    metadata: dict = field(default_factory=dict)
    too_long: str | None = None

    @property
    def fields(self) -> list[Field]:
        return [f for f in self.body if isinstance(f, Field)]


@dataclass(frozen=True)
class Read:
    """What a read answers: which read it is (`kind`: "help", "summary", "rec", "mine",
    "show", "history", "panels", "milestones", "review"), the domain's read model (`model`:
    a summary, an action as it stands, its history, a review), and what the front end needs
    to draw it for this person: who is looking and whether they lead, the day, a note to
    show above it; `in_channel` when it is posted for everyone. `offers`: the next steps it
    offers this person, by what they are about: each action it shows, by its qualified ref
    (`wording.row_offers`), and the summary, by its inspection's code (`wording.
    summary_offers`); so every front end offers the same. `extra`: what one kind of read
    also carries (an action's latest note, the refs a recommendation's history names)."""

    kind: str
    model: object
    viewer: str | None = None
    lead: bool = False
    today: date | None = None
    note: str | None = None
    in_channel: bool = False
    offers: dict[str, list[Offer]] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


Outcome = Done | Held | Form | Read
