"""Settings: defaults, and a malformed one stops start-up with one line naming it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from models.errors import ConfigError
from models.settings import Settings, load_settings
from tests import ROOT
from tests.e2e_server import cli_env


def test_defaults():
    s = load_settings({})
    assert s == Settings()
    assert (s.database_url, s.timezone, s.reminder_hour) == (
        "sqlite:///ncpi.db",
        "Europe/London",
        9,
    )
    assert s.panel_reminder_days == (14, 7, 2)
    assert s.slack_api_url == "https://slack.com/api/"
    assert str(s.tz) == "Europe/London"


def test_values_are_read_and_tidied():
    s = load_settings(
        {
            "DATABASE_URL": "postgres://ncpi@db.example/ncpi",
            "NCPI_TIMEZONE": "Europe/Dublin",
            "NCPI_LEADS": " U012AB3CD, U045EF6GH ,",
            "NCPI_DIGEST_CHANNEL": "C012AB3CD",
            "NCPI_REMINDER_HOUR": "8",
            "NCPI_PANEL_REMINDER_DAYS": "2, 14,7",
            "SLACK_API_URL": "http://127.0.0.1:9999/api",
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_APP_TOKEN": "xapp-1",
            "SLACK_SIGNING_SECRET": "s",
        }
    )
    assert s.database_url == "postgresql+psycopg://ncpi@db.example/ncpi"
    assert s.leads == ("U012AB3CD", "U045EF6GH")
    assert s.panel_reminder_days == (14, 7, 2)
    assert s.slack_api_url == "http://127.0.0.1:9999/api/"
    assert s.reminder_hour == 8


def test_secrets_stay_out_of_repr():
    s = load_settings({"SLACK_BOT_TOKEN": "xoxb-secret", "SLACK_SIGNING_SECRET": "hush"})
    assert "xoxb-secret" not in repr(s) and "hush" not in repr(s)


BAD = [
    ("NCPI_TIMEZONE", "Europe/Ipswich"),
    ("NCPI_LEADS", "jane.smith"),
    ("NCPI_DIGEST_CHANNEL", "#safeguarding"),
    ("NCPI_REMINDER_HOUR", "25"),
    ("NCPI_REMINDER_HOUR", "nine"),
    ("NCPI_REMINDER_HOUR", "-1"),
    ("NCPI_PANEL_REMINDER_DAYS", "14,seven"),
    ("NCPI_PANEL_REMINDER_DAYS", "0"),
    ("NCPI_PANEL_REMINDER_DAYS", "90"),
    ("DATABASE_URL", "mysql://root@localhost/ncpi"),
    ("SLACK_API_URL", "slack.com/api"),
    ("SLACK_BOT_TOKEN", "xoxp-user-token"),
    ("SLACK_APP_TOKEN", "xoxb-wrong-kind"),
]


@pytest.mark.parametrize(("name", "value"), BAD)
def test_a_malformed_setting_is_named(name, value):
    with pytest.raises(ConfigError) as info:
        load_settings({name: value})
    message = info.value.message
    assert message.startswith(name)
    assert "\n" not in message
    if name == "DATABASE_URL":
        assert "mysql" in message and "root@" not in message  # never a password
    elif not name.startswith("SLACK_") or name == "SLACK_API_URL":
        assert value.split(",")[-1] in message  # shows what it got (never for tokens)


def test_tokens_are_never_echoed():
    with pytest.raises(ConfigError) as info:
        load_settings({"SLACK_BOT_TOKEN": "xoxp-secret-value"})
    assert "secret-value" not in info.value.message


def test_require_names_the_missing_setting():
    s = load_settings({"SLACK_BOT_TOKEN": "xoxb-1"})
    s.require("SLACK_BOT_TOKEN")
    with pytest.raises(ConfigError, match="^SLACK_SIGNING_SECRET is not set"):
        s.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    with pytest.raises(ConfigError, match="^NCPI_DIGEST_CHANNEL is not set"):
        s.require("NCPI_DIGEST_CHANNEL")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NCPI_REMINDER_HOUR", "25"),
        ("NCPI_TIMEZONE", "Mars/Olympus"),
        ("DATABASE_URL", "mysql://x"),
    ],
)
def test_cli_stops_with_one_line_and_exit_status_2(tmp_path, name, value):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--env-file", str(tmp_path / "none.env"), "summary"],
        cwd=ROOT,
        env=cli_env(**{name: value}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"ncpi-bot: {name}")


def test_cli_reads_settings_from_the_env_file(tmp_path):
    env_file = tmp_path / "bad.env"
    env_file.write_text("NCPI_REMINDER_HOUR=31\n")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--env-file", str(env_file), "summary"],
        cwd=ROOT,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "NCPI_REMINDER_HOUR" in result.stderr


def test_ncpi_clock_pins_the_clock_in_local_time_or_utc():
    from datetime import UTC, date, datetime
    from zoneinfo import ZoneInfo

    from models.clock import Clock

    tz = ZoneInfo("Europe/London")
    summer = Clock.from_env(tz, "2026-07-01T00:30")  # local: 23:30 UTC the day before
    assert summer.now() == datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert summer.today() == date(2026, 7, 1)
    assert Clock.from_env(tz, "2026-11-25T10:00:00Z").now() == datetime(
        2026, 11, 25, 10, tzinfo=UTC
    )
    assert Clock.from_env(tz, None).fixed is None
    with pytest.raises(ConfigError, match="^NCPI_CLOCK must be an ISO-8601"):
        Clock.from_env(tz, "next tuesday")
