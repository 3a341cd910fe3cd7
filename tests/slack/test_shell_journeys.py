"""Journeys through the local shell and the CLI start-up: which database, where the paper
goes, and a dialog with nothing to submit."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import docx
from sqlalchemy import make_url

from bot.shell import open_shell
from models.settings import load_settings
from tests import ROOT
from tests.slack_helpers import LEAD, counts, make_shell


def _ncpi(
    *args: str, cwd: Path, env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess:
    """`ncpi-bot ARGS` as a person runs it from `cwd`, with only the settings given."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NCPI_"))}
    base.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**base, "PYTHONPATH": str(ROOT), "NCPI_CLOCK": "2026-11-25T10:00:00Z", **env},
        timeout=90,
    )


# -- 9.21 which database ----------------------------------------------------------------------


def test_the_cli_run_from_another_folder_says_which_database_it_looked_at(db_url, tmp_path):
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        # the fixture's empty tracker, named relative to the folder the command is run from
        cwd, setting = Path(url.database).parent, "sqlite:///ncpi.db"
        named = str(Path(url.database))
    else:
        cwd, setting = tmp_path, db_url
        named = f"{url.host}:{url.port}/{url.database}"
    done = _ncpi("--env-file", os.devnull, "summary", cwd=cwd, env={"DATABASE_URL": setting})
    assert done.returncode == 1
    assert f"No inspection is set up yet in the database {named}." in done.stderr
    assert "load-sample" in done.stderr
    assert url.password is None or url.password not in done.stderr


def test_a_relative_sqlite_path_in_an_env_file_is_beside_that_file(tmp_path):
    conf, elsewhere = tmp_path / "conf", tmp_path / "elsewhere"
    conf.mkdir()
    elsewhere.mkdir()
    env_file = conf / ".env"
    env_file.write_text("DATABASE_URL=sqlite:///tracker.db\n")

    loaded = _ncpi("--env-file", str(env_file), "load-sample", cwd=elsewhere, env={})
    assert loaded.returncode == 0, loaded.stderr
    assert (conf / "tracker.db").exists() and not (elsewhere / "tracker.db").exists()

    # the shell, run from the working folder of neither, finds the same tracker and says so
    shell = _ncpi("--env-file", str(env_file), "shell", cwd=tmp_path, env={}, stdin="summary\n")
    assert shell.returncode == 0, shell.stderr
    assert f"ncpi shell on the database {conf / 'tracker.db'}" in shell.stderr
    assert "6 of 10 recommendations signed off" in shell.stdout
    assert not (tmp_path / "tracker.db").exists()

    # set in the environment instead, the same path is the working folder's
    fresh = _ncpi(
        "--env-file",
        str(env_file),
        "summary",
        cwd=elsewhere,
        env={"DATABASE_URL": "sqlite:///tracker.db"},
    )
    assert (
        f"No inspection is set up yet in the database {elsewhere / 'tracker.db'}." in fresh.stderr
    )


def test_another_inspection_code_names_the_database_and_what_it_holds(sample, clock):
    shell, fake = make_shell(sample, clock)
    try:
        out = shell.run("show FOO:R2.1")
    finally:
        fake.stop()
    where = make_url(sample.url)
    named = (
        where.database
        if where.get_backend_name() == "sqlite"
        else f"{where.host}:{where.port}/{where.database}"
    )
    assert f"There is no inspection FOO in the database {named}. Inspections there: NCPI." in out


# -- 9.26 report in the shell -----------------------------------------------------------------


def test_report_in_the_shell_writes_the_paper_to_a_file_and_prints_its_path(
    sample, db_url, tmp_path, monkeypatch
):
    # `ncpi-bot shell` as a lead, run from tmp_path: the paper lands there
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NCPI_CLOCK", "2026-11-25T10:00:00Z")
    shell, fake = open_shell(load_settings({"DATABASE_URL": db_url}), user=LEAD)
    try:
        out = shell.run("report")
    finally:
        fake.stop()
    saved = re.search(r"saved as (\S+\.docx)\)", out)
    assert saved, out
    path = Path(saved.group(1))
    assert path.parent == tmp_path and path.name == "NCPI-panel-paper-2026-12-18-AP26-04.docx"
    paper = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "PAPER NO: AP26/04" in paper
    assert "DM to @U0SAFELEAD: Here is the draft update paper" in out


# -- 9.27 a dialog with nothing to submit -----------------------------------------------------


def test_submit_on_a_result_dialog_closes_it_without_an_unhandled_request(sample, clock, caplog):
    shell, fake = make_shell(sample, clock, user="U0DIMISS01")
    try:
        shell.run("update R2.2")
        saved = shell.run('submit status="at risk" note="waiting on IT"')
        assert "Modal «Updated»" in saved and "[Done]" in saved
        stored = counts(sample)
        with caplog.at_level(logging.WARNING):
            again = shell.run("submit")
        assert "(this dialog has only [Done]: closed it)" in again
        assert "HTTP 404" not in again
        assert "Unhandled request" not in caplog.text
        assert fake.modals == []
        assert counts(sample) == stored  # closing the dialog records nothing
        assert "(no modal is open)" in shell.run("submit")
    finally:
        fake.stop()
