"""Reminder planning: time for the planner to decide what is owed at one instant."""

from __future__ import annotations

import os
import time as wall
from datetime import date, datetime, time

from benchmarks.common import database, print_table, settle, write_json
from models.planner import owed
from models.settings import Settings
from tests.tracker_seed import build_tracker

TODAY = date(2026, 11, 25)  # a Wednesday, a working day


def run(
    sizes: tuple[int, ...] = (10_000, 100_000),
    repeats: int = 3,
    kinds: tuple[str, ...] = ("sqlite", "postgresql"),
) -> list[dict]:
    settings = Settings(digest_channel="C0DIGEST")
    at = datetime.combine(TODAY, time(9, 5), tzinfo=settings.tz)
    rows = []
    for kind in kinds:
        for size in sizes:
            with database(kind) as db:
                build_tracker(
                    db,
                    actions=size,
                    today=TODAY,
                    tz=settings.tz,
                    owners=max(100, size // 50),
                    updates_per_action=1,
                )
                settle(db)
                with db.read() as session:
                    owed(session, now=at, settings=settings)  # warm caches (bank holidays)
                times, cpu, count = [], [], 0
                for _ in range(repeats):
                    with db.read() as session:
                        t0, c0 = wall.perf_counter(), wall.process_time()
                        count = len(owed(session, now=at, settings=settings))
                        times.append(wall.perf_counter() - t0)
                        cpu.append(wall.process_time() - c0)
            rows.append(
                {
                    "database": kind,
                    "actions": size,
                    "best_s": round(min(times), 3),
                    "worst_s": round(max(times), 3),
                    # This process's CPU time (the planner is CPU-bound Python): what the wall
                    # time would be on an idle machine, less the database's share.
                    "best_cpu_s": round(min(cpu), 3),
                    "load_1m": round(os.getloadavg()[0], 1),
                    "owed": count,
                    "target": "< 1 s at 100,000",
                    "met": "yes" if size < 100_000 or min(times) < 1.0 else "NO",
                }
            )
    return rows


def main() -> None:
    rows = run()
    print_table(
        "Reminder planning",
        rows,
        ["database", "actions", "best_s", "worst_s", "best_cpu_s", "owed", "met", "load_1m"],
    )
    write_json("planner", {"rows": rows})


if __name__ == "__main__":
    main()
