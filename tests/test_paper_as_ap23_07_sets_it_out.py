"""The draft set out as AP23/07 sets itself out: its paragraph numbers, the lead-ins before a
recommendation's sub-points, the protective marking, the trend chart beside the RAG chart,
and people named by name."""

from __future__ import annotations

import io
import re

from docx import Document

from models.paper import build_paper, chart_png, render_docx, render_markdown
from models.transfer import import_file
from tests.ap23_07 import SEED
from tests.conftest import TZ
from tests.test_paper_rebuilds_ap23_07 import _ap23_07_workbook

NUMBERED = re.compile(r"^-?\s*1\.(\d+)\s+(.*)$")


def _seed_numbers() -> list[tuple[int, str]]:
    """AP23/07's own section 1 paragraphs: (number after "1.", the paragraph's first line)."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("1. HIS MAJESTY"))
    end = next(i for i, line in enumerate(lines) if line.strip() == "2. SUMMARY")
    return [
        (int(m.group(1)), " ".join(m.group(2).split()))
        for m in (NUMBERED.match(line) for line in lines[start:end])
        if m
    ]


def _word_text(doc) -> list[str]:  # noqa: ANN001
    return [p.text for p in doc.paragraphs]


def test_the_paragraphs_carry_ap23_07s_own_numbers(db, clock, tmp_path):
    _recs, path = _ap23_07_workbook(tmp_path / "ap23-07.xlsx")
    import_file(db, path, now=clock.now(), today=clock.today(), tz=TZ)
    with db.read() as session:
        paper = build_paper(session, today=clock.today(), now=clock.now())
    md = render_markdown(paper)
    word = _word_text(Document(io.BytesIO(render_docx(paper, chart=chart_png(paper)))))
    seed = _seed_numbers()
    findings = [(n, text) for n, text in seed if n >= 4]
    assert findings[0][0] == 4 and findings[-1][0] == 82  # AP23/07: 1.4 to 1.82
    md_numbers = [int(m) for m in re.findall(r"^1\.(\d+) ", md, flags=re.M)]
    assert md_numbers[:2] == [2, 3]  # the two opening paragraphs are 1.2 and 1.3, as AP23/07's
    word_numbers = [int(m.group(1)) for t in word if (m := re.match(r"^1\.(\d+)\t", t))]
    assert md_numbers == word_numbers == list(range(2, 83))
    for n, text in findings:
        first = text.replace("**", "").rstrip(";")
        escaped = re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", first)
        assert re.search(rf"^1\.{n} {re.escape(escaped)}", md, flags=re.M), f"1.{n} {first[:60]}"
        assert any(t.startswith(f"1.{n}\t{first}") for t in word), f"1.{n} {first[:60]}"


def test_the_closing_sections_number_from_one(sample, clock):
    with sample.read() as session:
        paper = build_paper(session, today=clock.today(), now=clock.now())
    md = render_markdown(paper)
    word = _word_text(Document(io.BytesIO(render_docx(paper))))
    for n in (2, 3, 4, 5):
        assert re.search(rf"^{n}\.1 ", md, flags=re.M), n
        assert any(t.startswith(f"{n}.1\t") for t in word), n
    assert "3.1 There are no financial implications." in md
