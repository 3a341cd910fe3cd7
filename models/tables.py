"""SQLModel tables. Times are UTC-aware; due and panel days are local `date`s."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator):
    """Stores UTC; always hands back an aware datetime (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_column(nullable: bool = False, index: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable, index=index)


def text_column(nullable: bool = True) -> Column:
    return Column(Text, nullable=nullable)


class ItemKind(StrEnum):
    """What an inspection item is: HMICFRS reports carry recommendations, areas for
    improvement ("The force should …") and causes of concern (with recommendations under
    them). Each is tracked alike; models.kinds says how each is written."""

    RECOMMENDATION = "recommendation"
    AFI = "afi"
    CAUSE = "cause"


# The one place the kinds' ref prefixes are written (models.kinds reads them).
ITEM_PREFIX = {ItemKind.RECOMMENDATION: "R", ItemKind.AFI: "AFI", ItemKind.CAUSE: "C"}


class RecStatus(StrEnum):
    OPEN = "open"
    OUTSTANDING = "outstanding"
    SIGNED_OFF = "signed_off"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Status(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BLOCKED = "blocked"
    IMPLEMENTED = "implemented"
    VERIFIED = "verified"
    WITHDRAWN = "withdrawn"  # taken off the tracker by a lead, with a reason; kept

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


def status_label(value: str | None) -> str:
    """A stored status, an action's or a recommendation's, as people read it ("at risk",
    "signed off"); "" for none."""
    if not value:
        return ""
    for kind in (Status, RecStatus):
        if value in kind._value2member_map_:
            return kind(value).label
    return value


OPEN_STATUSES = (Status.NOT_STARTED, Status.ON_TRACK, Status.AT_RISK, Status.BLOCKED)
# Nothing more is owed on these: never chased, counted or listed as open or late.
CLOSED_STATUSES = (Status.VERIFIED, Status.WITHDRAWN)


class Role(StrEnum):
    LEAD = "lead"
    MEMBER = "member"


class Source(StrEnum):
    COMMAND = "command"
    BUTTON = "button"
    MODAL = "modal"
    THREAD = "thread"
    CLI = "cli"
    IMPORT = "import"


class Inspection(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=40)
    title: str
    inspectorate: str = "HMICFRS"
    force: str | None = None
    fieldwork_start: date | None = None
    fieldwork_end: date | None = None
    published: date | None = None
    reinspected: date | None = None
    created_at: datetime = Field(sa_column=utc_column())


class Milestone(SQLModel, table=True):
    """A milestone a lead has set or moved away from the day models.milestones computes
    from publication; the reason is in its history row (Update, field `milestone`)."""

    __table_args__ = (UniqueConstraint("inspection_id", "kind", name="uq_milestone_kind"),)
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    kind: str = Field(max_length=30)
    day: date


class Recommendation(SQLModel, table=True):
    """An inspection item of any kind (the table keeps its first name): `R2`, `AFI3`, `C1`."""

    __table_args__ = (
        UniqueConstraint("inspection_id", "kind", "number", name="uq_recommendation_ref"),
    )
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    kind: str = Field(
        default=ItemKind.RECOMMENDATION,
        max_length=20,
        sa_column_kwargs={"server_default": ItemKind.RECOMMENDATION.value},
    )
    number: int
    # A recommendation made under a cause of concern points at it.
    cause_id: int | None = Field(default=None, foreign_key="recommendation.id")
    title: str
    text: str = Field(sa_column=text_column(nullable=False))
    timescale: str | None = None
    status: str = Field(default=RecStatus.OPEN, max_length=20)
    signed_off_on: date | None = None

    @property
    def ref(self) -> str:
        """`R2`, `AFI3` or `C1`: how people write this item."""
        return f"{ITEM_PREFIX[ItemKind(self.kind)]}{self.number}"


class SubPoint(SQLModel, table=True):
    __tablename__ = "sub_point"
    __table_args__ = (UniqueConstraint("recommendation_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", index=True)
    position: int
    text: str = Field(sa_column=text_column(nullable=False))


class PaperSection(StrEnum):
    """Where a paragraph of the paper's own wording goes: under a recommendation (findings,
    improvement required) or in one of the paper's closing sections (AP23/07's 2 to 5)."""

    FINDINGS = "findings"
    IMPROVEMENT = "improvement"
    SUMMARY = "summary"
    FINANCIAL = "financial"
    OTHER = "other"
    CONCLUSION = "conclusion"


REC_SECTIONS = (PaperSection.FINDINGS, PaperSection.IMPROVEMENT)
CLOSING_SECTIONS = (
    PaperSection.SUMMARY,
    PaperSection.FINANCIAL,
    PaperSection.OTHER,
    PaperSection.CONCLUSION,
)


class Paragraph(SQLModel, table=True):
    """One paragraph of the paper's wording, dated and attributed: a recommendation's
    findings or improvement required, or (no recommendation) a closing section's. Editing it
    changes this row; every version is in the history (Update, field `paper_<section>`)."""

    __table_args__ = (Index("ix_paragraph_place", "inspection_id", "recommendation_id", "section"),)
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id")
    recommendation_id: int | None = Field(default=None, foreign_key="recommendation.id")
    section: str = Field(max_length=20)
    position: int
    text: str = Field(sa_column=text_column(nullable=False))
    written_on: date
    author: str = Field(max_length=200)


class ReviewChoice(StrEnum):
    """What a lead decided, reviewing the draft, for one paragraph of progress."""

    INCLUDE = "include"  # printed as said
    EDIT = "edit"  # printed in the lead's paper wording (the note in history is untouched)
    LEAVE_OUT = "leave_out"  # not printed

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class ReviewDecision(SQLModel, table=True):
    """A lead's review of one candidate paragraph of progress, keyed by the history row it
    comes from: made once, it holds for every later draft. Changing it changes this row;
    each decision is also a history row (Update, field `review`)."""

    __tablename__ = "review_decision"
    id: int | None = Field(default=None, primary_key=True)
    update_id: int = Field(foreign_key="update.id", unique=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    panel_id: int | None = Field(default=None, foreign_key="panelmeeting.id")
    choice: str = Field(max_length=20)
    wording: str | None = Field(default=None, sa_column=text_column())
    reviewed_by: str = Field(max_length=32)
    reviewed_at: datetime = Field(sa_column=utc_column())


class Action(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("recommendation_id", "number"),
        # Covers the summary's count of open actions by recommendation, status and lateness
        # (service.summary(actions=False)): read from the index, not the table.
        Index("ix_action_rec_status_due", "recommendation_id", "status", "due"),
    )
    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", index=True)
    number: int
    title: str = Field(sa_column=text_column(nullable=False))
    owner: str | None = Field(default=None, max_length=32, index=True)
    owner_accepted: bool = True
    due: date | None = Field(default=None, index=True)
    status: str = Field(default=Status.NOT_STARTED, max_length=20)
    evidence: str | None = Field(default=None, sa_column=text_column())
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())


class Update(SQLModel, table=True):
    """Append-only history: one row per changed field (or per note)."""

    __table_args__ = (Index("ix_update_action_at", "action_id", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    recommendation_id: int | None = Field(default=None, foreign_key="recommendation.id")
    action_id: int | None = Field(default=None, foreign_key="action.id")
    panel_id: int | None = Field(default=None, foreign_key="panelmeeting.id")
    actor: str = Field(max_length=32)
    at: datetime = Field(sa_column=utc_column(index=True))
    field: str = Field(max_length=40)
    before: str | None = Field(default=None, sa_column=text_column())
    after: str | None = Field(default=None, sa_column=text_column())
    note: str | None = Field(default=None, sa_column=text_column())
    source: str = Field(max_length=20)


class PanelMeeting(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    day: date = Field(index=True)
    starts_at: datetime = Field(sa_column=utc_column())
    title: str = "Accountability and Performance Panel"
    paper_ref: str | None = None
    cancelled: bool = False


class Member(SQLModel, table=True):
    user_id: str = Field(primary_key=True, max_length=32)
    display_name: str
    email: str | None = None
    role: str = Field(default=Role.MEMBER, max_length=10)
    # A lead because NCPI_LEADS named them (not the People sheet or a hand edit): the setting
    # may take the role back when it no longer names them.
    lead_by_setting: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    manager: str | None = Field(default=None, max_length=32)
    away_until: date | None = None
    snoozed_until: date | None = None


class ReminderState(StrEnum):
    """Where a claimed reminder stands. `sent` and `failed` are final; the others are owed."""

    CLAIMED = "claimed"  # a sender holds it (a short lease from claimed_at); no ts yet
    SENT = "sent"
    RETRY = "retry"  # a transient failure: tried again after a back-off, through its day
    FAILED = "failed"  # Slack refused it for good (the recipient is gone): not retried
    MISSED = "missed"  # its day ended undelivered: a later day's catch-up carries it


# A reminder in one of these went out (or never can): no later day catches it up.
REMINDER_FINAL = (ReminderState.SENT, ReminderState.FAILED)


class Reminder(SQLModel, table=True):
    """The claim that makes each reminder go out once: unique (kind, target, local day)."""

    __table_args__ = (UniqueConstraint("kind", "target", "local_day", name="uq_reminder_key"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=30)
    target: str = Field(max_length=80)
    local_day: date
    recipient: str = Field(max_length=32)
    state: str = Field(default=ReminderState.CLAIMED, max_length=20, index=True)
    attempts: int = 0
    channel: str | None = Field(default=None, max_length=32)
    ts: str | None = Field(default=None, max_length=32, index=True)
    payload: str | None = Field(default=None, sa_column=text_column())
    error: str | None = Field(default=None, max_length=200)
    claimed_at: datetime = Field(sa_column=utc_column())
    sent_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class Receipt(SQLModel, table=True):
    """A request already handled (double submits, Slack event retries): key → first answer."""

    key: str = Field(primary_key=True, max_length=200)
    actor: str = Field(max_length=32)
    at: datetime = Field(sa_column=utc_column(index=True))
    result: str | None = Field(default=None, sa_column=text_column())


class BotMessage(SQLModel, table=True):
    """A message the bot posted about actions, so thread replies find their action."""

    __tablename__ = "bot_message"
    __table_args__ = (UniqueConstraint("channel", "ts"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    ts: str = Field(max_length=32)
    recipient: str = Field(max_length=32)
    kind: str = Field(max_length=30)
    action_ids: str = Field(default="", sa_column=text_column(nullable=False))
    at: datetime = Field(sa_column=utc_column())
