"""Settings from the environment (and `.env`), checked once at start-up."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from models.errors import ConfigError
from models.people import is_user_id

CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
TEAM_ID = re.compile(r"^[TE][A-Z0-9]{2,}$")
APP_ID = re.compile(r"^A[A-Z0-9]{2,}$")
USERGROUP_ID = re.compile(r"^S[A-Z0-9]{2,}$")
DB_TIMEOUT_S = 5
# The protective marking the paper and the s.55 response carry in header and footer (the
# Government Security Classifications' OFFICIAL unless the force says otherwise).
MARKING = "OFFICIAL"
MARKING_WORDS = re.compile(r"^[A-Z0-9][A-Z0-9 /:-]{0,59}$")


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///ncpi.db"
    # Seconds the database may take to connect or to answer one statement (or to free a
    # lock) before a request gives up and says the tracker is not answering.
    db_timeout_s: int = DB_TIMEOUT_S
    timezone: str = "Europe/London"
    leads: tuple[str, ...] = ()
    digest_channel: str | None = None
    reminder_hour: int = 9
    panel_reminder_days: tuple[int, ...] = (14, 7, 2)
    # Working days before a panel the leads are asked to review the draft paper's progress.
    review_days: int = 5
    # How many days after publication an "immediately" recommendation is due (models.timescales)
    immediately_days: int = 28
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_api_url: str = "https://slack.com/api/"
    # This bot's workspace and app; requests naming another are refused. Learned from
    # auth.test at start-up when not set.
    slack_team_id: str | None = None
    slack_app_id: str | None = None
    # Only members of this user group may use the bot (besides being full members of the
    # workspace, which is always required). None: every full member.
    readers_usergroup: str | None = None
    # The force's board that keeps the tracker (e.g. "Child Protection Delivery Board"):
    # named where a non-lead is told who to ask, and in the panel paper.
    board_name: str | None = None
    # The protective marking of the drafted paper and response (NCPI_MARKING).
    marking: str = MARKING

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def require(self, *names: str) -> None:
        """Stop with one line naming the first missing setting among `names` (env names)."""
        for name in names:
            if not getattr(self, name.lower().removeprefix("ncpi_"), None):
                raise ConfigError(f"{name} is not set: add it to the environment or .env")


def _int(env: Mapping[str, str], name: str, default: int, lo: int, hi: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not lo <= int(raw) <= hi:
        raise ConfigError(f"{name} must be a whole number from {lo} to {hi}, got {raw!r}")
    return int(raw)


def _board(env: Mapping[str, str]) -> str | None:
    """NCPI_BOARD_NAME as sentences use it ("Ask a lead on the …"): without a leading "the"."""
    raw = " ".join(env.get("NCPI_BOARD_NAME", "").split())
    name = re.sub(r"^the\s+", "", raw, flags=re.IGNORECASE)
    if len(name) > 80 or re.search(r"[<>&*_`~|]", name):
        raise ConfigError(
            "NCPI_BOARD_NAME must be a board's name in plain words, at most 80 characters "
            f"(e.g. Child Protection Delivery Board), got {raw[:100]!r}"
        )
    return name or None


def _marking(env: Mapping[str, str]) -> str:
    """NCPI_MARKING as the documents print it: in capitals, spaces folded."""
    raw = " ".join(env.get("NCPI_MARKING", "").split())
    if not raw:
        return MARKING
    if not MARKING_WORDS.match(raw.upper()):
        raise ConfigError(
            "NCPI_MARKING must be a protective marking in plain words, at most 60 characters "
            f"(e.g. OFFICIAL or OFFICIAL-SENSITIVE), got {raw[:100]!r}"
        )
    return raw.upper()


def normalise_database_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not (url.startswith("sqlite://") or url.startswith("postgresql+psycopg://")):
        raise ConfigError(
            "DATABASE_URL must be sqlite:///FILE.db or postgresql+psycopg://USER@HOST/DB, "
            f"got a URL starting {url.split(':', 1)[0]!r}"
        )
    return url


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and check every setting; a bad one raises ConfigError naming it."""
    env = os.environ if env is None else env
    tz_name = env.get("NCPI_TIMEZONE", "").strip() or "Europe/London"
    try:
        ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"NCPI_TIMEZONE {tz_name!r} is not a time zone name (e.g. Europe/London)"
        ) from None
    leads = tuple(x.strip() for x in env.get("NCPI_LEADS", "").split(",") if x.strip())
    for lead in leads:
        if not is_user_id(lead):
            raise ConfigError(
                f"NCPI_LEADS must be Slack user ids separated by commas (e.g. U012AB3CD), got {lead!r}"
            )
    digest = env.get("NCPI_DIGEST_CHANNEL", "").strip() or None
    if digest and not CHANNEL_ID.match(digest):
        raise ConfigError(
            f"NCPI_DIGEST_CHANNEL must be a channel id (e.g. C012AB3CD), got {digest!r}"
        )
    raw_days = env.get("NCPI_PANEL_REMINDER_DAYS", "").strip() or "14,7,2"
    try:
        days = tuple(sorted({int(x) for x in raw_days.split(",") if x.strip()}, reverse=True))
    except ValueError:
        days = ()
    if not days or any(d < 1 or d > 60 for d in days):
        raise ConfigError(
            f"NCPI_PANEL_REMINDER_DAYS must be days from 1 to 60 separated by commas (e.g. 14,7,2), got {raw_days!r}"
        )
    api_url = env.get("SLACK_API_URL", "").strip() or "https://slack.com/api/"
    if not api_url.startswith(("http://", "https://")):
        raise ConfigError(f"SLACK_API_URL must start with http:// or https://, got {api_url!r}")
    if not api_url.endswith("/"):
        api_url += "/"
    token = env.get("SLACK_BOT_TOKEN", "").strip() or None
    if token and not token.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN must be a bot token starting xoxb-")
    app_token = env.get("SLACK_APP_TOKEN", "").strip() or None
    if app_token and not app_token.startswith("xapp-"):
        raise ConfigError("SLACK_APP_TOKEN must be an app-level token starting xapp-")
    team_id = env.get("SLACK_TEAM_ID", "").strip() or None
    if team_id and not TEAM_ID.match(team_id):
        raise ConfigError(f"SLACK_TEAM_ID must be a workspace id (e.g. T012AB3CD), got {team_id!r}")
    app_id = env.get("SLACK_APP_ID", "").strip() or None
    if app_id and not APP_ID.match(app_id):
        raise ConfigError(f"SLACK_APP_ID must be an app id (e.g. A012AB3CD), got {app_id!r}")
    readers = env.get("NCPI_READERS_USERGROUP", "").strip() or None
    if readers and not USERGROUP_ID.match(readers):
        raise ConfigError(
            f"NCPI_READERS_USERGROUP must be a user group id (e.g. S012AB3CD), got {readers!r}"
        )
    return Settings(
        database_url=normalise_database_url(
            env.get("DATABASE_URL", "").strip() or "sqlite:///ncpi.db"
        ),
        db_timeout_s=_int(env, "NCPI_DB_TIMEOUT", DB_TIMEOUT_S, 2, 300),
        timezone=tz_name,
        leads=leads,
        digest_channel=digest,
        reminder_hour=_int(env, "NCPI_REMINDER_HOUR", 9, 0, 23),
        panel_reminder_days=days,
        review_days=_int(env, "NCPI_REVIEW_DAYS", 5, 1, 30),
        immediately_days=_int(env, "NCPI_IMMEDIATELY_DAYS", 28, 1, 365),
        slack_bot_token=token,
        slack_signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip() or None,
        slack_app_token=app_token,
        slack_api_url=api_url,
        slack_team_id=team_id,
        slack_app_id=app_id,
        readers_usergroup=readers,
        board_name=_board(env),
        marking=_marking(env),
    )
