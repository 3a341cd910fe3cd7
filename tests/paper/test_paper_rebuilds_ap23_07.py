"""Issue 11's test: AP23/07 rebuilt from its own content. Its ten recommendations and their
findings and improvement-required paragraphs, imported through the workbook into an empty
database, give a draft (Markdown and Word) whose recommendation headings, statuses and
paragraphs come in AP23/07's order, with no system change-log line anywhere."""

from __future__ import annotations

import io
import re

from docx import Document

from models.paper import build_paper, chart_png, render_docx, render_markdown
from models.transfer import import_file
from tests.ap23_07 import ap23_07_workbook
from tests.conftest import TZ

SYSTEM_LINES = (
    "Imported",
    "imported",
    "changed from",
    "added:",
    "assigned to",
    "tracker import",
    "rec_status",
    "paper_findings",
    "Progress since the last panel",
    "No update has been recorded",
)


def _in_order(haystack: str, needles: list[str]) -> None:
    at = 0
    for needle in needles:
        found = haystack.find(needle, at)
        assert found >= 0, f"not found after position {at}: {needle[:80]!r}"
        at = found + len(needle)


def _expected(recs, fold) -> list[str]:
    """Headings, then per recommendation its text and each paragraph's lines, in order."""
    out = []
    for r in recs:
        status = "Signed off" if r.signed_off else "Remains outstanding"
        out.append(f"Recommendation {r.number} – {status}")
        out.append(fold(r.text))
        for p in r.findings + r.improvement:
            out += [fold(re.sub(r"^- ", "", line)) for line in p.splitlines()]
    return out


def test_ap23_07_rebuilt_from_its_own_content(db, clock, tmp_path):
    recs, path = ap23_07_workbook(tmp_path / "ap23-07.xlsx")
    report = import_file(db, path, now=clock.now(), today=clock.today(), tz=TZ)
    assert report.created["recommendations"] == 10 and report.created["findings"] == 79
    with db.read() as session:
        paper = build_paper(session, today=clock.today(), now=clock.now())
    md = render_markdown(paper)
    doc = Document(io.BytesIO(render_docx(paper, chart=chart_png(paper))))
    word = "\n".join(p.text for p in doc.paragraphs)
    word += "\n" + "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)

    def md_fold(text: str) -> str:
        return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", " ".join(text.split()))

    _in_order(md, _expected(recs, md_fold))
    _in_order(word, _expected(recs, lambda t: " ".join(t.split())))
    # numbered as AP23/07 numbers them: one run of 1.n through section 1, from 1.2
    numbers = [int(m) for m in re.findall(r"^1\.(\d+) ", md, flags=re.M)]
    assert numbers == list(range(2, len(numbers) + 2)) and len(numbers) >= 81
    for out in (md, word):
        assert (
            out.count("Findings of the HMICFRS re-inspection and the Constabulary's response") == 10
        )
        assert out.count("Improvement required") == 4
        for line in SYSTEM_LINES:
            assert line not in out, line
