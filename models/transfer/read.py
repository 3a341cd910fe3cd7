"""Reading a file into tables of raw cells: one table per sheet whose name is known."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.errors import UsageError
from models.transfer.schema import ACTIONS, KINDS, Kind, Problem, blank, norm


@dataclass
class Row:
    number: int  # the row number a spreadsheet shows (header is row 1)
    values: dict[str, Any]  # column key → raw cell value (only columns the sheet has)


@dataclass
class Table:
    kind: Kind
    sheet: str
    headers: dict[str, str]  # column key → the header as the file spells it
    rows: list[Row]


def match_kind(name: str) -> Kind | None:
    n = norm(name)
    for kind in KINDS:
        if n in {norm(x) for x in kind.names}:
            return kind
    return None


def _table(kind: Kind, sheet: str, grid: list[list[Any]], problems: list[Problem]) -> Table:
    """Header row → column keys; later rows → Row. Missing required columns are problems."""
    header_row = 0
    while header_row < len(grid) and not any(blank(v) is False for v in grid[header_row]):
        header_row += 1
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    if header_row < len(grid):
        for i, h in enumerate(grid[header_row]):
            if blank(h):
                continue
            n = norm(h)
            if n in kind.ignored:
                continue
            for c in kind.columns:
                if n in c.names() and c.key not in positions:
                    positions[c.key] = i
                    headers[c.key] = str(h).strip()
                    break
    # "RAG" is a synonym of Status: when a sheet has both, Status wins (already first).
    for c in kind.columns:
        if c.required and c.key not in positions:
            problems.append(Problem(sheet, header_row + 1, c.header, "", "this column is missing"))
    rows = []
    for r_index in range(header_row + 1, len(grid)):
        cells = grid[r_index]
        values = {k: cells[i] if i < len(cells) else None for k, i in positions.items()}
        if all(blank(v) for v in values.values()):
            continue
        rows.append(Row(number=r_index + 1, values=values))
    return Table(kind=kind, sheet=sheet, headers=headers, rows=rows)


def read_tables(path: Path, problems: list[Problem]) -> list[Table]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as f:
            grid = [list(r) for r in csv.reader(f)]
        return [_table(ACTIONS, path.name, grid, problems)]
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # noqa: BLE001 - any unreadable workbook is one user error
            raise UsageError(
                f"{path.name} is not a workbook I can read ({type(e).__name__})."
            ) from None
        try:
            tables = []
            for ws in wb.worksheets:
                kind = match_kind(ws.title)
                if kind is None:
                    continue
                grid = [list(r) for r in ws.iter_rows(values_only=True)]
                tables.append(_table(kind, ws.title, grid, problems))
        finally:
            wb.close()
        if not tables:
            names = ", ".join(k.sheet for k in KINDS)
            raise UsageError(f"{path.name} has none of the sheets I know: {names}.")
        return tables
    raise UsageError(f"Import an .xlsx workbook or a .csv of actions, not {path.name}.")
