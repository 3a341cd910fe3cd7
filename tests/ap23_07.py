"""AP23/07 read from its own text (tests/data): its ten recommendations, their statuses,
sub-points, and findings and improvement-required paragraphs in the paper's order; and the
same as a tracker workbook to import (`ap23_07_workbook`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tests.factories import workbook

SEED = Path(__file__).resolve().parent / "data" / "suffolk-ncpi-reinspection-update-2024.txt"
HEADING = re.compile(r"^Recommendation (\d+)\s*[–(-]\s*(.*?)\)?\s*$")
NUMBERED = re.compile(r"^-?\s*(\d\.\d+)\s+(.*)$")
BULLET = re.compile(r"^\s*-\s+(.*)$")


@dataclass
class Rec:
    number: int
    signed_off: bool
    text: str = ""
    sub_points: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    improvement: list[str] = field(default_factory=list)


def _plain(text: str) -> str:
    return text.replace("**", "").strip().rstrip(";").strip()


def read_ap23_07() -> list[Rec]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if HEADING.match(line))
    end = next(i for i, line in enumerate(lines) if line.strip() == "2. SUMMARY")
    recs: list[Rec] = []
    part = "text"
    for line in lines[start:end]:
        if not line.strip():
            continue
        m = HEADING.match(line)
        if m:
            recs.append(Rec(int(m.group(1)), "signed off" in m.group(2).lower()))
            part = "text"
            continue
        rec = recs[-1]
        if line.startswith("Findings of the HMICFRS"):
            part = "findings"
            continue
        if re.match(r"^Improvements? required\s*$", line.strip()):
            part = "improvement"
            continue
        if part == "text":
            b = BULLET.match(line)
            if b:
                rec.sub_points.append(_plain(b.group(1)))
            else:
                rec.text = (rec.text + " " + line.strip()).strip()
            continue
        paras = rec.findings if part == "findings" else rec.improvement
        n = NUMBERED.match(line)
        if n:
            paras.append(n.group(2).strip())
        else:
            b = BULLET.match(line)
            paras[-1] += "\n" + (f"- {_plain(b.group(1))}" if b else line.strip())
    return recs


def ap23_07_workbook(path: Path) -> tuple[list[Rec], Path]:
    """AP23/07 as a tracker workbook at `path` (its recommendations, findings and
    improvement-required paragraphs, one panel), with the recommendations it was read from."""
    recs = read_ap23_07()
    findings = [["Recommendation", "Section", "Text", "Date", "Author"]]
    for r in recs:
        for section, paras in (("Findings", r.findings), ("Improvement required", r.improvement)):
            findings += [
                [f"R{r.number}", section, p, "05/01/2024", "DCI Protecting Vulnerable People"]
                for p in paras
            ]
    return recs, workbook(
        path,
        {
            "Inspection": [
                [
                    "Code",
                    "Title",
                    "Force",
                    "Fieldwork start",
                    "Fieldwork end",
                    "Published",
                    "Re-inspected",
                ],
                [
                    "NCPI",
                    "National Child Protection Inspection (re-inspection), Suffolk Constabulary",
                    "Suffolk Constabulary",
                    "18/07/2022",
                    "29/07/2022",
                    "22/12/2022",
                    "01/07/2023",
                ],
            ],
            "Recommendations": [["Number", "Text", "Status", "Sub-points"]]
            + [
                [
                    r.number,
                    r.text,
                    "signed off" if r.signed_off else "outstanding",
                    "\n".join(r.sub_points) or None,
                ]
                for r in recs
            ],
            "Findings": findings,
            "Panel meetings": [["Date", "Paper ref"], ["18/12/2026", "AP23/07"]],
        },
    )
