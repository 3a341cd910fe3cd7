"""Import and export at scale: a force's workbook of N actions through the real CLI.

Each step is one `python -m bot …` process, timed from spawn to exit, with its peak memory
(its own VmHWM): importing the workbook into an empty database, importing it again
(nothing changes), a dry run of it, and exporting the tracker as a workbook and as a CSV.
`python -m bot --help` is the floor: what starting the CLI costs before any work.

`reading` measures, in this process (time untraced, peak heap with tracemalloc), what
reading the same workbook costs the way import reads it (openpyxl read-only: rows streamed
from the sheet's XML) against loading its whole object model (every cell an object): the
evidence that import streams. The floor there is reading the file's bytes.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from benchmarks.common import ROOT, database
from models.transfer import write_workbook
from models.transfer.read import read_tables
from models.transfer.schema import ACTIONS

CLOCK = "2026-11-25T10:00:00+00:00"
PER_REC = 100  # actions per recommendation: refs stay R1.1 … R100.100


def workbook_rows(actions: int) -> dict[str, list[list[object]]]:
    """A force's own tracker: one inspection, actions ÷ 100 recommendations, 100 people."""
    recs = max(1, -(-actions // PER_REC))
    people = [
        [f"U0BENCH{i:04d}", f"Owner {i}", f"owner{i}@bench.police.uk", "member", None]
        for i in range(100)
    ]
    statuses = ["on track", "at risk", "not started", "blocked", "implemented"]
    action_rows = []
    for i in range(actions):
        rec, number = i // PER_REC + 1, i % PER_REC + 1
        action_rows.append(
            [
                f"R{rec}.{number}",
                f"R{rec}",
                f"Benchmark action {rec}.{number}: review the referral pathway",
                people[i % 100][0],
                people[i % 100][1],
                date(2027, 1, 4) + timedelta(days=i % 300),
                statuses[i % len(statuses)],
                None,
                f"Progress note for action {rec}.{number}",
            ]
        )
    return {
        "inspection": [
            [
                "BENCH",
                "National Child Protection Inspection, Benchmark Police",
                "HMICFRS",
                "Benchmark Police",
                date(2026, 7, 6),
                date(2026, 7, 17),
                date(2026, 12, 18),
                None,
            ]
        ],
        "recommendations": [
            [n, f"Recommendation {n}", f"That the force improves area {n}.", "Immediately",
             "outstanding", None, None]
            for n in range(1, recs + 1)
        ],
        "actions": action_rows,
        "panels": [[date(2027, 1, 22), "10:00", "Accountability and Performance Panel",
                    "AP27/01", "no"]],
        "people": people,
        "findings": [],
        "paper": [],
    }  # fmt: skip


def _cli(args: list[str], url: str) -> dict:
    """One CLI process: wall time and the child's peak RSS."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "NCPI_CLOCK": CLOCK,
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": "",
    }
    t0 = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-c", PEAK, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    took = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {r.stderr[-500:]}")
    peak_kb = int(r.stderr.rsplit("peak_kb=", 1)[1].split()[0])
    return {"took_s": round(took, 2), "peak_rss_mb": round(peak_kb / 1024, 1), "out": r.stdout}


# `python -m bot ARGS`, reporting its own peak RSS (VmHWM) at exit: a forked child's
# ru_maxrss would count the benchmark process it was forked from.
PEAK = """
import atexit, runpy, sys
def peak():
    line = next(x for x in open("/proc/self/status") if x.startswith("VmHWM:"))
    print("peak_kb=" + line.split()[1], file=sys.stderr)
atexit.register(peak)
sys.argv = ["bot", *sys.argv[1:]]
runpy.run_module("bot", run_name="__main__")
"""


def _heap(fn) -> tuple[float, float, object]:
    """(seconds, peak Python heap in MB, result): timed in a plain call, then called again
    under tracemalloc for the peak (tracing slows allocation, so it is not timed)."""
    gc.collect()
    t0 = time.perf_counter()
    result = fn()
    took = time.perf_counter() - t0
    del result
    gc.collect()
    tracemalloc.start()
    result = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return took, peak / 2**20, result


def _whole_model(book: Path) -> int:
    """The workbook loaded the default way (not read-only): every cell an object."""
    from openpyxl import load_workbook

    wb = load_workbook(book, data_only=True)
    cells = sum(ws.max_row * ws.max_column for ws in wb.worksheets)
    wb.close()
    return cells


def reading(sizes: tuple[int, ...] = (10_000,)) -> list[dict]:
    """Import's read (streamed) against the whole workbook's object model, same file; the
    floor is reading the file's bytes."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            book = Path(tmp) / f"tracker-{size}.xlsx"
            write_workbook(workbook_rows(size), book)
            floor = _heap(partial(book.read_bytes))
            streamed = _heap(partial(read_tables, book, []))
            whole = _heap(partial(_whole_model, book))
            got = sum(len(t.rows) for t in streamed[2] if t.kind is ACTIONS)
            assert got == size, got
            for step, (took, peak, _) in (
                ("floor: read the file's bytes", floor),
                ("import's read (openpyxl read-only, streamed)", streamed),
                ("whole object model (openpyxl default)", whole),
            ):
                rows.append(
                    {
                        "actions": size,
                        "file_kb": round(book.stat().st_size / 1024),
                        "step": step,
                        "took_s": round(took, 2),
                        "peak_heap_mb": round(peak, 1),
                        "load_1m": round(os.getloadavg()[0], 2),
                    }
                )
    return rows


def run(sizes: tuple[int, ...] = (10_000,), kinds: tuple[str, ...] = ("sqlite", "postgresql")):
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in sizes:
            book = folder / f"tracker-{size}.xlsx"
            write_workbook(workbook_rows(size), book)
            size_kb = round(book.stat().st_size / 1024)
            for kind in kinds:
                with database(kind) as db:
                    url = db.url
                    steps = [
                        ("floor: --help", ["--help"]),
                        ("import (new)", ["import", str(book)]),
                        ("import again (no change)", ["import", str(book)]),
                        ("import --dry-run", ["import", str(book), "--dry-run"]),
                        ("export .xlsx", ["export", str(folder / "out.xlsx")]),
                        ("export .csv", ["export", str(folder / "out.csv")]),
                    ]
                    floor = None
                    for step, args in steps:
                        r = _cli(args, url)
                        floor = floor or r  # the first step, --help, in the same run
                        rows.append(
                            {
                                "database": kind,
                                "actions": size,
                                "file_kb": size_kb,
                                "step": step,
                                "took_s": r["took_s"],
                                "over_floor_s": round(r["took_s"] - floor["took_s"], 2),
                                "peak_rss_mb": r["peak_rss_mb"],
                                "over_floor_mb": round(r["peak_rss_mb"] - floor["peak_rss_mb"], 1),
                                "load_1m": round(os.getloadavg()[0], 2),
                            }
                        )
                        if step == "import (new)":
                            assert f"actions: {size} new" in r["out"], r["out"][:300]
                        if step == "import again (no change)":
                            assert "nothing changed" in r["out"], r["out"][:300]
    return rows
