"""Drafting the panel paper for a tracker of 1,000 actions and 10,000 history rows.

    .venv/bin/python -m benchmarks.paper                      # both databases
    .venv/bin/python -m benchmarks.paper --databases sqlite

Times gathering (`build_paper`), both charts, the Markdown and the Word file, best of a few
runs, and the peak Python memory of one whole draft (tracemalloc). The floor, measured in the
same run, is the same draft for a tracker of 10 actions with one history row each: what any
paper costs (python-docx's template, matplotlib's figures), so `over_floor_s` is what the
tracker's size adds. Writes benchmarks/results/paper.json.
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from benchmarks.common import database, print_table, write_json
from models.paper import build_paper, chart_png, render_docx, render_markdown, trend_png
from tests.tracker_seed import build_tracker

TZ = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def _draft(db) -> None:  # benchmarks.common Database
    with db.read() as session:
        paper = build_paper(session, today=NOW.date(), now=NOW)
    render_markdown(paper)
    render_docx(paper, chart=chart_png(paper), trend=trend_png(paper))


def _best(db, repeat: int) -> list[float]:  # benchmarks.common Database
    _draft(db)  # warm: imports, matplotlib's font cache
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        _draft(db)
        times.append(time.perf_counter() - t0)
    return times


def run(
    *, kinds: tuple[str, ...], actions: int = 1_000, per_action: int = 10, repeat: int = 3
) -> list[dict]:
    rows = []
    for kind in kinds:
        with database(kind) as db:
            build_tracker(db, actions=10, today=NOW.date(), tz=TZ, updates_per_action=1)
            floor = min(_best(db, repeat))
        with database(kind) as db:
            build_tracker(
                db, actions=actions, today=NOW.date(), tz=TZ, updates_per_action=per_action
            )
            times = _best(db, repeat)
            tracemalloc.start()
            _draft(db)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            rows.append(
                {
                    "database": kind,
                    "actions": actions,
                    "history_rows": actions * per_action,
                    "best_s": round(min(times), 3),
                    "worst_s": round(max(times), 3),
                    "floor_s": round(floor, 3),
                    "over_floor_s": round(min(times) - floor, 3),
                    "peak_mb": round(peak / 1e6, 1),
                    "load_1m": round(os.getloadavg()[0], 2),
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.paper", description=__doc__)
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated")
    args = parser.parse_args()
    kinds = tuple(k.strip() for k in args.databases.split(",") if k.strip())
    rows = run(kinds=kinds)
    print_table(
        "Drafting the paper (gather, chart, Markdown, Word)",
        rows,
        [
            "database",
            "actions",
            "history_rows",
            "best_s",
            "worst_s",
            "floor_s",
            "over_floor_s",
            "peak_mb",
            "load_1m",
        ],
    )
    path = write_json("paper", {"rows": rows})
    print(f"\n→ {path}")


if __name__ == "__main__":
    main()
