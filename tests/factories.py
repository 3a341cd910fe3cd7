"""Small builders the tests share: a workbook on disk, and Slack's signed headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from tests.slack_requests import signature


def workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """An .xlsx at `path` with one sheet per entry, its rows as given (header row first)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(row)
    wb.save(path)
    return path


def bolt_signed_headers(secret: str, body: str, timestamp: int) -> dict[str, list[str]]:
    """A slash command's headers as Bolt's `BoltRequest` takes them, signed with `secret`."""
    return {
        "content-type": ["application/x-www-form-urlencoded"],
        "x-slack-request-timestamp": [str(timestamp)],
        "x-slack-signature": [signature(secret, timestamp, body)],
    }
