"""Hostile and awkward files are read or clearly refused, never crash, never exhaust the
machine and never write half a file. On SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlmodel import select

from models.errors import UsageError
from models.tables import Action, Update
from models.transfer import ImportRejected, import_file
from tests import ROOT
from tests.conftest import TZ
from tests.factories import count, snapshot


def _import(db, clock, path, **kw):
    return import_file(db, path, now=clock.now(), today=clock.today(), tz=TZ, **kw)


def _unchanged(db, before):
    state, history = before
    return snapshot(db) == state and count(db, Update) == history


def _claiming_the_whole_sheet(path: Path) -> Path:
    """A 2 KB workbook whose Actions sheet claims the range A1:XFD1048576."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Actions"
    ws.append(["Rec No", "Action", "Target date"])
    ws.append(["R2", "Check overnight risk", "01/02/2027"])
    plain = path.with_suffix(".plain.xlsx")
    wb.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:XFD1048576"/>'
                )
                assert b"XFD1048576" in data
            out.writestr(item, data)
    plain.unlink()
    assert path.stat().st_size < 8_000
    return path


def _limit_memory() -> None:
    gb = 2 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (gb, gb))


def _cli_import(path: Path, db_url: str, clock) -> subprocess.CompletedProcess:
    env = {"DATABASE_URL": db_url, "NCPI_CLOCK": clock.now().isoformat(), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "bot", "import", str(path)],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,  # the old reader allocated until the machine ran out
    )


def test_a_workbook_claiming_a_million_rows_is_read_by_its_real_cells(
    sample, clock, tmp_path, db_url
):
    path = _claiming_the_whole_sheet(tmp_path / "claims.xlsx")
    r = _cli_import(path, db_url, clock)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "actions: 1 new" in r.stdout
    assert count(sample, Action) == 11


def test_a_stray_cell_at_the_sheets_last_row_is_refused_without_exhausting_memory(
    sample, clock, tmp_path, db_url
):
    wb = Workbook()
    ws = wb.active
    ws.title = "Actions"
    ws.append(["Rec No", "Action", "Target date"])
    ws.append(["R2", "Check overnight risk", "01/02/2027"])
    ws["XFD1048576"] = "x"
    path = tmp_path / "stray.xlsx"
    wb.save(path)
    assert path.stat().st_size < 8_000
    before = snapshot(sample), count(sample, Update)

    r = _cli_import(path, db_url, clock)

    assert r.returncode == 1, r.stderr[-2000:]
    assert "Actions goes past row 25,001: import at most 25,000 rows a sheet" in r.stderr
    assert "Traceback" not in r.stderr
    assert _unchanged(sample, before)


def test_a_sheet_longer_than_the_limit_is_refused_and_nothing_is_written(sample, clock, tmp_path):
    path = tmp_path / "long.csv"
    rows = "".join(f"R2,Step {i},01/02/2027\n" for i in range(25_001))
    path.write_text("Rec No,Action,Target date\n" + rows)
    before = snapshot(sample), count(sample, Update)
    with pytest.raises(UsageError, match=r"at most 25,000 rows a sheet"):
        _import(sample, clock, path)
    assert _unchanged(sample, before)


def test_a_csv_saved_by_excel_on_windows_is_read(sample, clock, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "Rec No,Action,Target date,Notes\r\n"
        "R2,Café staff briefed on missing children,01/02/2027,£250 agreed for training\r\n".encode(
            "cp1252"
        )
    )
    assert _import(sample, clock, path).created["actions"] == 1
    with sample.read() as s:
        titles = s.exec(select(Action.title)).all()
        notes = s.exec(select(Update.note).where(Update.note.is_not(None))).all()
    assert "Café staff briefed on missing children" in titles
    assert "£250 agreed for training" in notes


def test_a_ten_megabyte_cell_is_refused_clearly(sample, clock, tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text("Rec No,Action,Target date\nR2,Fine,01/02/2027\nR2," + "x" * 10_000_000 + ",\n")
    before = snapshot(sample), count(sample, Update)
    with pytest.raises(UsageError, match=r"huge.csv row 3: a cell is longer than"):
        _import(sample, clock, path)
    assert _unchanged(sample, before)


def test_a_nul_byte_or_an_overlong_slack_id_is_refused_with_nothing_logged(
    sample, clock, tmp_path, caplog
):
    long_id = "U" + "A" * 40
    path = tmp_path / "bad.csv"
    path.write_text(
        "Rec No,Action,Action owner,Target date,Notes\n"
        "R2,Fine,U0DIMISS01,01/02/2027,\n"
        "R2,Secret\x00title,U0DIMISS01,01/02/2027,\n"
        f"R2,Other,{long_id},01/02/2027,\n"
        "R2,Third,U0DIMISS01,01/02/2027,note\x00with a NUL\n"
    )
    before = snapshot(sample), count(sample, Update)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ImportRejected) as e:
        _import(sample, clock, path)
    by_row = {p.row: p for p in e.value.problems}
    assert sorted(by_row) == [3, 4, 5]
    assert "NUL" in by_row[3].why and "NUL" in by_row[5].why
    assert "is not a Slack user id" in by_row[4].why
    assert "Secret" not in e.value.message
    assert "Secret" not in caplog.text and long_id not in caplog.text
    assert _unchanged(sample, before)


def test_a_long_list_of_problems_is_capped(sample, clock, tmp_path):
    path = tmp_path / "many.csv"
    path.write_text(
        "Rec No,Action,Target date\n" + "".join(f"R2,Step {i},32/01/2027\n" for i in range(1000))
    )
    with pytest.raises(ImportRejected) as e:
        _import(sample, clock, path)
    lines = e.value.message.splitlines()
    assert lines[0] == "nothing was imported: 1000 problems to fix first"
    assert len(lines) == 52 and lines[-1] == "  … and 950 more"
