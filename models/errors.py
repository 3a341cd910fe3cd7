"""One error family; each carries the sentence the user sees."""

from __future__ import annotations


class NcpiError(Exception):
    """Base error: `message` is what the user is shown, as written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(NcpiError):
    """Bad input: says what was wrong and how to write it."""


class NotFound(NcpiError):
    """A ref, person or meeting that does not exist."""


class Forbidden(NcpiError):
    """The actor may not do this (not a lead, not the owner)."""


class ChangedMeanwhile(NcpiError):
    """Someone else was changing the same row and it could not wait its turn: nothing saved."""


class NeedsConfirmation(NcpiError):
    """A note looks like it carries personal data; nothing is stored until confirmed."""

    def __init__(self, message: str, findings: list[str]) -> None:
        super().__init__(message)
        self.findings = findings


class ConfigError(NcpiError):
    """A missing or malformed setting; the message names it."""


class SchemaOutOfDate(NcpiError):
    """The database was migrated by an older (or newer) release."""


class DatabaseUnavailable(ConfigError):
    """DATABASE_URL names a database that cannot be opened (the message hides passwords)."""
