"""The `ncpi-bot` command line, run as a newcomer would (a subprocess, a fresh SQLite file)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from bot.cli import cli
from tests.e2e_server import cli_env, run_cli


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cli_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'ncpi.db'}",
        NCPI_CLOCK="2026-11-25T10:00:00Z",
    )


def test_load_sample_then_summary(env):
    env = dict(env, NCPI_LEADS="U012AB3CD")
    loaded = run_cli("load-sample", env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert "sample tracker loaded" in loaded.stdout
    again = run_cli("load-sample", env=env)
    assert again.returncode == 0 and "nothing changed" in again.stdout

    shown = run_cli("summary", env=env)
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert "6 of 10 recommendations signed off" in out
    assert "4 outstanding" in out
    outstanding = [line.split()[0] for line in out.splitlines() if "— outstanding" in line]
    assert outstanding == ["R2", "R4", "R6", "R9"]
    assert "Signed off: R1 R3 R5 R7 R8 R10" in out
    assert "next panel Fri 18 Dec 2026" in out
    assert "R2.1 overdue by 3 working days" in out

    one = run_cli("summary", "R9", env=env)
    assert one.returncode == 0
    assert "R9 Child abuse image database" in one.stdout and "R2 " not in one.stdout

    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as conn:
        role = conn.execute(text("SELECT role FROM member WHERE user_id = 'U012AB3CD'")).scalar()
    engine.dispose()
    assert role == "lead"  # NCPI_LEADS are leads from the start


def test_a_database_that_cannot_be_opened_is_one_line_and_status_2(env, tmp_path):
    env = dict(env, DATABASE_URL=f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
    result = run_cli("summary", env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ncpi-bot: DATABASE_URL sqlite:///")


def test_summary_of_an_unknown_ref_is_one_line_and_status_1(env):
    assert run_cli("load-sample", env=env).returncode == 0
    bad = run_cli("summary", "R42", env=env)
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines() == [
        "ncpi-bot: There is no recommendation R42; NCPI has R1 to R10."
    ]


def test_an_out_of_date_database_is_named_at_start_up(env):
    assert run_cli("load-sample", env=env).returncode == 0
    engine = create_engine(env["DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000_older'"))
    engine.dispose()
    stale = run_cli("summary", env=env)
    assert stale.returncode == 1
    assert "`ncpi-bot db upgrade`" in stale.stderr
    assert len(stale.stderr.strip().splitlines()) == 1


def test_db_upgrade_on_a_fresh_database(env):
    result = run_cli("db", "upgrade", env=env)
    assert result.returncode == 0, result.stderr
    assert "schema revision" in result.stdout


def test_top_level_help_lists_the_commands(env):
    result = run_cli("--help", env=env)
    assert result.returncode == 0
    for name in ("load-sample", "summary", "db"):
        assert name in result.stdout


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


@pytest.mark.parametrize("path", list(_commands(cli)), ids=" ".join)
def test_every_command_has_help(path, env):
    runner = CliRunner()
    result = runner.invoke(cli, ["--env-file", "/nonexistent/.env", *path, "--help"], env=env)
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    help_line = cli.get_command(click.Context(cli), path[0]).get_short_help_str()
    assert help_line  # every command says what it does
