"""No exported CSV cell can run as a formula in a spreadsheet (OWASP's CSV injection rule),
and the guard comes off again on import. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv

from models.transfer import export_history, export_tracker, import_file
from tests.conftest import TZ

PAYLOADS = [
    "-2+3+cmd|' /C calc'!A0",
    "-1+1",
    "-1e3+cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.com")',
    "+1+1",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def test_every_cell_that_could_start_a_formula_is_quoted_and_reimports_as_written(
    sample, clock, tmp_path
):
    path = tmp_path / "payloads.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Rec No", "Action", "Notes"])
        for i, p in enumerate(PAYLOADS):
            w.writerow(["R2", f"{p} step {i}", p])
    kw = {"now": clock.now(), "today": clock.today(), "tz": TZ}
    assert import_file(sample, path, **kw).created["actions"] == len(PAYLOADS)

    tracker, history = tmp_path / "tracker.csv", tmp_path / "history.csv"
    with sample.read() as s:
        export_tracker(s, tracker, tz=TZ)
        export_history(s, history)

    for out in (tracker, history):
        with out.open(newline="") as f:
            cells = [c for row in csv.reader(f) for c in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], out.name
        for p in PAYLOADS:
            assert "'" + p.strip() in cells, (out.name, p)  # import trims whitespace
    assert import_file(sample, tracker, **kw).nothing_changed
