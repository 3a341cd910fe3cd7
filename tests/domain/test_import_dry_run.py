"""A dry run says every change a file would make and writes nothing; a file for one force
never rewrites another force's inspection. On SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from openpyxl import load_workbook
from sqlalchemy import inspect
from sqlmodel import select

from models.db import Database
from models.tables import Inspection, Member, Update
from models.transfer import ImportRejected, export_tracker, import_file, write_template
from tests import ROOT
from tests.conftest import PG_ADMIN, TZ
from tests.factories import count, snapshot


def _import(db, clock, path, **kw):
    return import_file(db, path, now=clock.now(), today=clock.today(), tz=TZ, **kw)


def _cli(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _edited_export(db, tmp_path: Path) -> tuple[Path, str]:
    """The tracker exported, with R2.1's title and R4.1's due date edited as a lead would;
    returns the file and R2.1's title before the edit."""
    out = tmp_path / "tracker.xlsx"
    with db.read() as s:
        export_tracker(s, out, tz=TZ)
    wb = load_workbook(out)
    ws = wb["Actions"]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    old_title = ws.cell(rows["R2.1"], 3).value
    ws.cell(rows["R2.1"], 3).value = "Missing-child risk assessed within the hour"
    ws.cell(rows["R4.1"], 6).value = "30/06/2027"
    wb.save(out)
    return out, old_title


def test_a_dry_run_lists_every_change_by_sheet_row_and_field(sample, clock, tmp_path):
    path, before_title = _edited_export(sample, tmp_path)
    state, history = snapshot(sample), count(sample, Update)

    report = _import(sample, clock, path, dry_run=True)

    text = report.text()
    assert text.startswith("dry run, nothing written")
    assert (
        f"Actions row 2, title: {before_title!r} → 'Missing-child risk assessed within the hour'"
        in text
    )
    assert "Actions row 4, due: " in text and "→ '2027-06-30'" in text
    assert len(report.changes) == 2
    assert snapshot(sample) == state and count(sample, Update) == history


def test_the_template_never_rewrites_the_tracked_inspection(sample, clock, tmp_path):
    template = tmp_path / "template.xlsx"
    write_template(template)
    before = snapshot(sample)["inspections"]

    report = _import(sample, clock, template)

    with sample.read() as s:
        codes = sorted(i.code for i in s.exec(select(Inspection)).all())
    assert before[0] in snapshot(sample)["inspections"]  # Suffolk's NCPI as it was
    assert codes == ["EXAMPLE", "NCPI"] and report.created["inspection"] == 1


def test_a_workbook_for_another_force_cannot_take_over_an_inspection_code(sample, clock, tmp_path):
    path = tmp_path / "other.xlsx"
    write_template(path)
    wb = load_workbook(path)
    wb["Inspection"].cell(2, 1).value = "NCPI"  # the code the sample tracks, for Suffolk
    wb.save(path)
    state, history = snapshot(sample), count(sample, Update)

    with pytest.raises(ImportRejected) as e:
        _import(sample, clock, path, dry_run=True)

    assert "Inspection row 2, Force 'Example Constabulary'" in e.value.message
    assert "Suffolk Constabulary's" in e.value.message
    assert snapshot(sample) == state and count(sample, Update) == history


def test_cli_dry_run_does_not_create_a_database(tmp_path, clock):
    template = tmp_path / "template.xlsx"
    write_template(template)
    missing = tmp_path / "not-yet.db"
    env = {"DATABASE_URL": f"sqlite:///{missing}", "NCPI_CLOCK": clock.now().isoformat()}

    r = _cli(["import", str(template), "--dry-run"], env)

    assert r.returncode == 0, r.stderr
    assert "not set up yet" in r.stdout and "Inspection row 2, inspection: (none) →" in r.stdout
    assert not missing.exists() and list(tmp_path.iterdir()) == [template]


def test_cli_dry_run_leaves_an_empty_postgresql_database_empty(tmp_path, clock, pg_url):
    template = tmp_path / "template.xlsx"
    write_template(template)
    name = f"ncpi_empty_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{pg_url.rsplit('/', 1)[0]}/{name}"
    try:
        r = _cli(["import", str(template), "--dry-run"], {"DATABASE_URL": url})
        assert r.returncode == 0, r.stderr
        assert "not set up yet" in r.stdout
        db = Database(url)
        tables = inspect(db.engine).get_table_names()
        db.dispose()
        assert tables == []
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_cli_dry_run_does_not_apply_ncpi_leads(sample, clock, tmp_path, db_url):
    good = tmp_path / "good.csv"
    good.write_text("Rec No,Action,Target date\nR2,New thing,01/02/2027\n")
    env = {
        "DATABASE_URL": db_url,
        "NCPI_CLOCK": clock.now().isoformat(),
        "NCPI_LEADS": "U0NEWLEAD1",
    }
    state, history = snapshot(sample), count(sample, Update)

    r = _cli(["import", str(good), "--dry-run"], env)

    assert r.returncode == 0, r.stderr
    assert "good.csv row 2, created: (none) → 'New thing'" in r.stdout
    with sample.read() as s:
        assert s.get(Member, "U0NEWLEAD1") is None
    assert snapshot(sample) == state and count(sample, Update) == history
