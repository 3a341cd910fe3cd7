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
            "recommendation",  # or area for improvement, or cause of concern
            None,  # a recommendation made under a cause of concern names it: C1
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
    # One paragraph a row, in the order the paper prints them.
    "findings": [
        [
            "R1",
            "Findings",
            "Arrangements to reduce risk for missing children have improved, with better "
            "processes in place for children who go missing regularly.",
            date(2027, 1, 8),
            "Jane Smith (example)",
        ],
        [
            "R1",
            "Improvement required",
            "Some delays were still evident in the initial risk assessment of children missing "
            "overnight. Further training for control room staff is under way.",
            date(2027, 1, 8),
            "Jane Smith (example)",
        ],
    ],
    # The closing sections, carried forward to each paper until rewritten.
    "paper": [
        [
            "Financial implications",
            "There are no financial implications.",
            date(2027, 1, 8),
            "Jane Smith (example)",
        ],
        ["Other implications and risks", "None.", date(2027, 1, 8), "Jane Smith (example)"],
    ],
}


def write_template(out: Path) -> None:
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"The template is a workbook: give a .xlsx file name, not {out.name}.")
    write_workbook(TEMPLATE_ROWS, out)
