"""Reading a file into tables of raw cells: one table per sheet whose name is known."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.errors import UsageError
from models.transfer.schema import (
    ACTIONS,
    KINDS,
    MAX_CELL,
    MAX_ROWS,
    Kind,
    Problem,
    blank,
    norm,
)


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


def _table(kind: Kind, sheet: str, grid: Iterable[Sequence[Any]], problems: list[Problem]) -> Table:
    """Header row → column keys; later rows → Row, streamed so only real rows are held.
    Missing required columns, oversized cells and NUL characters are problems; a sheet
    longer than MAX_ROWS is refused outright."""
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    rows: list[Row] = []
    header_row = None
    for number, cells in enumerate(grid, start=1):
        if number > MAX_ROWS + 1:
            raise UsageError(
                f"{sheet} goes past row {MAX_ROWS + 1:,}: import at most {MAX_ROWS:,} rows a "
                "sheet (a cell far down the sheet counts too; delete what is below the table)"
            )
        if header_row is None:
            if all(blank(v) for v in cells):
                continue
            header_row = number
            _find_columns(kind, cells, headers, positions)
            continue
        values = {k: cells[i] if i < len(cells) else None for k, i in positions.items()}
        if all(blank(v) for v in values.values()):
            continue
        if _cells_fit(kind, sheet, number, headers, values, problems):
            rows.append(Row(number=number, values=values))
    # "RAG" is a synonym of Status: when a sheet has both, Status wins (already first).
    for c in kind.columns:
        if c.required and c.key not in positions:
            problems.append(Problem(sheet, header_row or 1, c.header, "", "this column is missing"))
    return Table(kind=kind, sheet=sheet, headers=headers, rows=rows)


def _find_columns(
    kind: Kind, cells: Sequence[Any], headers: dict[str, str], positions: dict[str, int]
) -> None:
    for i, h in enumerate(cells):
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


def _cells_fit(
    kind: Kind,
    sheet: str,
    number: int,
    headers: dict[str, str],
    values: dict[str, Any],
    problems: list[Problem],
) -> bool:
    """No cell the tracker would store is too long to be sane or holds a NUL character
    (PostgreSQL refuses one; it is never meant)."""
    fits = True
    for key, v in values.items():
        if not isinstance(v, str):
            continue
        why = None
        if len(v) > MAX_CELL:
            why = f"is {len(v):,} characters; a cell holds at most {MAX_CELL:,}"
        elif "\x00" in v:
            why = "holds a NUL character; retype it as plain text"
        if why:
            header = headers.get(key) or kind.column(key).header
            problems.append(Problem(sheet, number, header, "", why))
            fits = False
    return fits


def _csv_rows(path: Path) -> Iterator[list[str]]:
    """A CSV's rows, as UTF-8 (with or without a byte-order mark) or, failing that, as the
    Windows code page Excel saves in (cp1252: £, é, curly quotes)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise UsageError(
                f"{path.name} row {reader.line_num}: a cell is longer than the "
                f"{csv.field_size_limit():,} characters a CSV cell may hold (at most "
                f"{MAX_CELL:,}); nothing was imported."
            ) from None
        yield row


def read_tables(path: Path, problems: list[Problem]) -> list[Table]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [_table(ACTIONS, path.name, _csv_rows(path), problems)]
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
                ws.reset_dimensions()  # the real cells, not the range the file claims
                tables.append(_table(kind, ws.title, ws.iter_rows(values_only=True), problems))
        finally:
            wb.close()
        if not tables:
            names = ", ".join(k.sheet for k in KINDS)
            raise UsageError(f"{path.name} has none of the sheets I know: {names}.")
        return tables
    raise UsageError(f"Import an .xlsx workbook or a .csv of actions, not {path.name}.")
