"""Run the benchmarks: a markdown table per measurement, JSON in benchmarks/results/.

    .venv/bin/python -m benchmarks            # everything (about 8 minutes on 2 cores)
    .venv/bin/python -m benchmarks --quick    # smaller trackers and fewer requests
    .venv/bin/python -m benchmarks --only commands --databases sqlite

Needs the PostgreSQL that the tests use (NCPI_TEST_PG, default postgres@127.0.0.1:5432).
A --quick run writes NAME-quick.json, so it never overwrites the full run's results.
"""

from __future__ import annotations

import argparse
import os
import time

from benchmarks import bench_planner, commands, delivery, transfer
from benchmarks.common import print_table, write_json

PARTS = ("commands", "planner", "delivery", "transfer")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smaller, faster run")
    parser.add_argument("--only", choices=PARTS, action="append", help="run only these parts")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated")
    args = parser.parse_args()
    kinds = tuple(k.strip() for k in args.databases.split(",") if k.strip())
    parts = args.only or PARTS
    suffix = "-quick" if args.quick else ""
    machine = {"load_at_start": [round(x, 2) for x in os.getloadavg()], "quick": args.quick}
    t0 = time.perf_counter()

    if "commands" in parts:
        print("Commands through `python -m bot serve` …", flush=True)
        out = commands.run(
            kinds=kinds,
            sizes=(10, 1_000) if args.quick else (10, 1_000, 10_000),
            n=40 if args.quick else 200,
            warmup=5 if args.quick else 10,
        )
        print_table(
            "Command latency, from sending the signed request until the user's answer arrived",
            out["latency"],
            [
                "database",
                "actions",
                "command",
                "n",
                "p50_ms",
                "p99_ms",
                "x_floor_p99",
                "x_respond_floor_p99",
                "wrong",
                "load_1m",
            ],
        )
        print_table(
            "Cost per command: SQL statements (in-process count) and serve's peak memory",
            out["cost"],
            [
                "database",
                "actions",
                "sql_summary",
                "sql_mine",
                "sql_update",
                "serve_peak_rss_mb",
                "history_rows_per_update",
            ],
        )
        print_table(
            "Start-up: spawn to /healthz 200",
            out["startup"],
            ["server", "database", "actions", "start_s"],
        )
        path = write_json("commands" + suffix, {**machine, **out})
        print(f"\n→ {path.relative_to(path.parents[2])}")

    if "planner" in parts:
        print("\nReminder planning …", flush=True)
        rows = bench_planner.run(kinds=kinds, sizes=(10_000,) if args.quick else (10_000, 100_000))
        print_table(
            "Reminder planning: what is owed at one instant",
            rows,
            ["database", "actions", "best_s", "worst_s", "best_cpu_s", "owed", "met", "load_1m"],
        )
        path = write_json("planner" + suffix, {**machine, "rows": rows})
        print(f"\n→ {path.relative_to(path.parents[2])}")

    if "delivery" in parts:
        print("\nReminder delivery …", flush=True)
        rows = delivery.run(kinds=kinds, n=200 if args.quick else 1000)
        print_table(
            "Delivery: one sweep, N reminders to N owners, against Slack's limits",
            rows,
            [
                "database",
                "reminders",
                "floor_s",
                "took_s",
                "x_floor",
                "lost",
                "repeated",
                "429s",
                "second_sweep_sent",
                "met",
                "load_1m",
            ],
        )
        print(f"\nlimits: {rows[0]['limits']}" if rows else "")
        path = write_json("delivery" + suffix, {**machine, "rows": rows})
        print(f"\n→ {path.relative_to(path.parents[2])}")

    if "transfer" in parts:
        print("\nImport and export …", flush=True)
        sizes = (1_000,) if args.quick else (10_000,)
        rows = transfer.run(kinds=kinds, sizes=sizes)
        print_table(
            "Import and export of a force's workbook, one `python -m bot` process per step",
            rows,
            [
                "database",
                "actions",
                "file_kb",
                "step",
                "took_s",
                "over_floor_s",
                "peak_rss_mb",
                "over_floor_mb",
                "load_1m",
            ],
        )
        read = transfer.reading(sizes=sizes)
        print_table(
            "Reading the workbook in-process (tracemalloc): as import reads it, and whole",
            read,
            ["actions", "file_kb", "step", "took_s", "peak_heap_mb", "load_1m"],
        )
        path = write_json("transfer" + suffix, {**machine, "rows": rows, "reading": read})
        print(f"\n→ {path.relative_to(path.parents[2])}")

    print(f"\nall done in {time.perf_counter() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
