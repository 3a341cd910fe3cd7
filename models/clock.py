"""The clock, injected everywhere time matters. Tests fix it; nothing else reads the wall."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from models.errors import ConfigError


@dataclass
class Clock:
    tz: ZoneInfo
    fixed: datetime | None = None

    def now(self) -> datetime:
        return self.fixed if self.fixed is not None else datetime.now(UTC)

    def today(self) -> date:
        return self.now().astimezone(self.tz).date()

    @classmethod
    def from_env(cls, tz: ZoneInfo, value: str | None) -> Clock:
        """`NCPI_CLOCK` (ISO-8601, test and demo use only) pins the clock."""
        if not value:
            return cls(tz)
        try:
            fixed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ConfigError(
                f"NCPI_CLOCK must be an ISO-8601 date-time (e.g. 2026-11-25T10:00:00Z), got {value!r}"
            ) from None
        if fixed.tzinfo is None:
            fixed = fixed.replace(tzinfo=tz)
        return cls(tz, fixed.astimezone(UTC))
