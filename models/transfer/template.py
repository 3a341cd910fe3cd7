"""The blank workbook a force fills in: every sheet's headers and one example row each."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from models.errors import UsageError
from models.transfer.export import write_workbook

TEMPLATE_ROWS: dict[str, list[list[Any]]] = {
    "inspection": [
        [
            "EXAMPLE",  # its own code: importing the template never touches a real inspection
            "National Child Protection Inspection (re-inspection), Example Constabulary",
            "HMICFRS",
            "Example Constabulary",
            date(2026, 7, 6),
            date(2026, 7, 17),
            date(2026, 12, 18),
            None,
        ]
    ],
    "recommendations": [
        [
            1,
            "Missing children",
            "That Example Constabulary immediately improves its arrangements and practices for "
            "responding to incidents of missing children. This should include:",
            "Immediately",
            "outstanding",
            None,
            "Improving risk assessment for missing children\nImproving the way it supervises responses",
        ]
    ],
    "actions": [
        [
            "R1.1",
            "R1",
            "Prompt risk assessment and supervision for children missing overnight",
            "U012AB3CD",
            "Jane Smith (example)",
            date(2027, 3, 31),
            "on track",
            None,
            "Training plan agreed at the Child Protection Delivery Board",
        ]
    ],
    "panels": [
        [date(2027, 1, 22), "10:00", "Accountability and Performance Panel", "AP27/01", "no"]
    ],
    "people": [["U012AB3CD", "Jane Smith (example)", "jane.smith@example.police.uk", "lead", None]],
}


def write_template(out: Path) -> None:
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"The template is a workbook: give a .xlsx file name, not {out.name}.")
    write_workbook(TEMPLATE_ROWS, out)
