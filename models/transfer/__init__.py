"""The tracker's way in and out: Excel/CSV import, export, the blank template, the audit trail.

A workbook has a sheet per kind (inspection, recommendations, actions, panel meetings, and
optionally people); a CSV holds actions for recommendations already known.

- `schema`: the sheets, their columns and synonyms, `Problem` and `ImportRejected`;
- `read`: a file → tables of raw cells;
- `cells`: one row's cells → a typed record, each bad cell a problem; the plan;
- `parse`: each sheet's columns read with `cells` into the plan;
- `importer`: the whole import (read, parse, look up emails, check, apply);
- `apply`, `apply_items`, `apply_paper` and `changes`: writing the differences (the
  inspection, people, panels and actions; the items of every kind; the paper's wording), one
  history row per changed field;
- `report_text`: an HMICFRS report's text → the same plan;
- `export` and `template`: the tracker, its history and the blank workbook as files.
"""

from models.transfer.cells import Plan
from models.transfer.changes import Change, ImportReport
from models.transfer.dryrun import dry_run_database
from models.transfer.export import (
    export_history,
    export_tracker,
    history_rows,
    tracker_rows,
    write_csv,
    write_workbook,
)
from models.transfer.importer import apply_plan, import_file
from models.transfer.parse import parse_tables
from models.transfer.read import read_tables
from models.transfer.schema import EmailResolver, ImportRejected, Looked, Problem
from models.transfer.template import TEMPLATE_ROWS, write_template

__all__ = [
    "TEMPLATE_ROWS",
    "Change",
    "EmailResolver",
    "ImportRejected",
    "ImportReport",
    "Looked",
    "Plan",
    "Problem",
    "apply_plan",
    "dry_run_database",
    "export_history",
    "export_tracker",
    "history_rows",
    "import_file",
    "parse_tables",
    "read_tables",
    "tracker_rows",
    "write_csv",
    "write_template",
    "write_workbook",
]
