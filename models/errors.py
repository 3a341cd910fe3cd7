"""One error family; each carries the sentence the user sees."""

from __future__ import annotations


class NcpiError(Exception):
    """Base error: `message` is what the user is shown, as written: plain text, which a front
    end escapes, since it may echo what the user typed. The people it names are
    `models.people.person` tokens, which each front end renders its own way."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(NcpiError):
    """Bad input: says what was wrong and how to write it."""


class SeveralInspections(UsageError):
    """No inspection named while several are tracked; `codes` are theirs, oldest first,
    so a front end can show the command again with each one."""

    def __init__(self, message: str, codes: list[str]) -> None:
        super().__init__(message)
        self.codes = codes


class DateOutOfRange(UsageError):
    """A date outside the years the tracker takes (far-off placeholders, typing slips)."""


class NotFound(NcpiError):
    """A ref, person or meeting that does not exist."""


class Forbidden(NcpiError):
    """The actor may not do this (not a lead, not the owner)."""


class LeadOnly(Forbidden):
    """Only a lead may do this. The front end adds who to ask (`wording.ask_a_lead`): the
    force's board is a setting, which the domain does not read."""


class ChangedMeanwhile(NcpiError):
    """Someone else was changing the same row and it could not wait its turn: nothing saved."""


class NeedsConfirmation(NcpiError):
    """Nothing is stored until its author confirms: a note that looks like it carries
    personal data (`subject` "note"), or a due date in the past ("date").

    `confirm_with`: the arguments that, added to the change, say it was confirmed (a past
    date is confirmed by `past_ok=True`; a note by running the change as confirmed)."""

    def __init__(
        self,
        message: str,
        findings: list[str],
        *,
        subject: str = "note",
        confirm_with: dict | None = None,
    ) -> None:
        super().__init__(message)
        self.findings = findings
        self.subject = subject
        self.confirm_with = confirm_with or {}


class ConfigError(NcpiError):
    """A missing or malformed setting; the message names it."""


class SchemaOutOfDate(NcpiError):
    """The database was migrated by an older (or newer) release."""


class DatabaseUnavailable(ConfigError):
    """DATABASE_URL names a database that cannot be opened (the message hides passwords)."""
