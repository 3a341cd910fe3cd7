"""The README's performance tables, from the JSON of the last full run.

.venv/bin/python -m benchmarks.report
"""

from __future__ import annotations

import json

from benchmarks.common import RESULTS

SUMMARY_P99_MS = 300.0
SUMMARY_X_FLOOR = 2.0
PEAK_RSS_MB = 200.0


def _load(name: str) -> dict:
    return json.loads((RESULTS / f"{name}.json").read_text())


def _table(columns: list[str], rows: list[list[object]]) -> str:
    out = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def _ms(s: dict) -> str:
    return f"{s['p50_ms']:.1f} / {s['p99_ms']:.1f}"


def commands_tables() -> str:
    data = _load("commands")
    by = {(r["database"], r["actions"], r["command"]): r for r in data["latency"]}
    keys = sorted(
        {(r["database"], r["actions"]) for r in data["latency"]},
        key=lambda k: (k[0] != "sqlite", k[1]),
    )
    rows = []
    for kind, size in keys:
        floor = by[(kind, size, "floor: ack")]
        respond = by[(kind, size, "floor: ack + response_url")]
        summary = by[(kind, size, "summary")]
        met = ""
        if size == max(s for k, s in keys if k == kind):
            ok = (
                summary["p99_ms"] < SUMMARY_P99_MS
                and summary["p99_ms"] <= SUMMARY_X_FLOOR * floor["p99_ms"]
            )
            met = "yes" if ok else "**no**"
        rows.append(
            [
                kind,
                f"{size:,}",
                _ms(floor),
                _ms(respond),
                _ms(summary),
                f"{summary['x_floor_p99']}×",
                met,
                _ms(by[(kind, size, "mine")]),
                _ms(by[(kind, size, "update")]),
                summary["load_1m"],
            ]
        )
    latency = _table(
        [
            "database",
            "actions",
            "floor: ack",
            "floor: ack + response_url",
            "summary",
            "summary p99 ÷ floor p99",
            "target met",
            "mine",
            "update",
            "load (1 min)",
        ],
        rows,
    )
    cost = _table(
        [
            "database",
            "actions",
            "SQL: summary",
            "SQL: mine",
            "SQL: update",
            "history rows per update",
            "serve peak RSS (MB)",
        ],
        [
            [
                r["database"],
                f"{r['actions']:,}",
                r["sql_summary"],
                r["sql_mine"],
                r["sql_update"],
                r.get("history_rows_per_update", ""),
                r["serve_peak_rss_mb"],
            ]
            for r in data["cost"]
        ],
    )
    startup = _table(
        ["server", "database", "actions", "spawn → /healthz 200 (s)"],
        [
            [
                r["server"],
                r["database"],
                f"{r['actions']:,}" if isinstance(r["actions"], int) else r["actions"],
                r["start_s"],
            ]
            for r in data["startup"]
        ],
    )
    return (
        f"Run at {data['at']}, load at start {data['load_at_start']}.\n\n"
        "Command latency, p50 / p99 in ms over "
        f"{data['latency'][0]['n']} requests each:\n\n{latency}\n\n"
        f"Cost per command, and memory:\n\n{cost}\n\nStart-up:\n\n{startup}"
    )


def planner_table() -> str:
    data = _load("planner")
    return _table(
        ["database", "actions", "best (s)", "worst (s)", "best CPU (s)", "owed", "met", "load"],
        [
            [
                r["database"],
                f"{r['actions']:,}",
                r["best_s"],
                r["worst_s"],
                r.get("best_cpu_s", ""),
                f"{r['owed']:,}",
                r["met"],
                r.get("load_1m", ""),
            ]
            for r in data["rows"]
        ],
    )


def delivery_table() -> str:
    data = _load("delivery")
    return _table(
        [
            "database",
            "reminders",
            "floor (s)",
            "took (s)",
            "÷ floor",
            "lost",
            "repeated",
            "429s met",
            "second sweep sent",
            "met",
        ],
        [
            [
                r["database"],
                f"{r['reminders']:,}",
                r["floor_s"],
                r["took_s"],
                f"{r['x_floor']}×",
                r["lost"],
                r["repeated"],
                r["429s"],
                r["second_sweep_sent"],
                r["met"],
            ]
            for r in data["rows"]
        ],
    )


def transfer_table() -> str:
    data = _load("transfer")
    out = _table(
        ["database", "actions", "step", "took (s)", "above floor (s)", "peak RSS (MB)",
         "above floor (MB)", "load"],
        [
            [
                r["database"],
                f"{r['actions']:,}",
                r["step"],
                r["took_s"],
                r.get("over_floor_s", ""),
                r["peak_rss_mb"],
                r.get("over_floor_mb", ""),
                r["load_1m"],
            ]
            for r in data["rows"]
        ],
    )  # fmt: skip
    if data.get("reading"):
        out += "\n\nReading the workbook in-process (tracemalloc peak):\n\n" + _table(
            ["actions", "step", "took (s)", "peak heap (MB)", "load"],
            [
                [f"{r['actions']:,}", r["step"], r["took_s"], r["peak_heap_mb"], r["load_1m"]]
                for r in data["reading"]
            ],
        )
    return out


def main() -> None:
    print(commands_tables())
    print("\nReminder planning:\n")
    print(planner_table())
    print("\nDelivery:\n")
    print(delivery_table())
    if (RESULTS / "transfer.json").exists():
        print("\nImport and export:\n")
        print(transfer_table())


if __name__ == "__main__":
    main()
