"""`ncpi-bot import REPORT.txt|.docx|.pdf`: a tracker started from the report itself. The dry
run lists what the text holds and writes nothing; a real run writes the recommendations through
the workbook import; a text with nothing in it, or a number used twice, writes nothing.
On SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import docx
from sqlmodel import select

from models.sample import RECS, SIGNED_OFF
from models.tables import Inspection, Recommendation, RecStatus, SubPoint, Update
from tests import ROOT
from tests.factories import count, snapshot

# Suffolk's panel paper AP23/07 with the PCC's covering letter, as published (models/sample.py)
SEED_TEXT = (ROOT / "tests/data/suffolk-ncpi-reinspection-update-2024.txt").read_text("utf-8")


def _cli(args: list[str], db_url: str, clock) -> subprocess.CompletedProcess:
    env = {"DATABASE_URL": db_url, "NCPI_CLOCK": clock.now().isoformat()}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _recs(db, kind: str = "recommendation") -> dict[int, tuple[Recommendation, list[str]]]:
    with db.read() as s:
        out = {}
        for r in s.exec(select(Recommendation).where(Recommendation.kind == kind)).all():
            subs = s.exec(
                select(SubPoint)
                .where(SubPoint.recommendation_id == r.id)
                .order_by(SubPoint.position)
            ).all()
            out[r.number] = (r, [p.text for p in subs])
        return out


def _words(text: str) -> list[str]:
    return text.replace(",", "").rstrip(".:").split()


def _pdf_of(lines: list[str]) -> bytes:
    """A one-page PDF whose text is `lines`, in Helvetica, written out object by object."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 11 Tf", "14 TL", "56 800 Td", *(f"({esc(x)}) Tj T*" for x in lines), "ET"]
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# -- the seed panel paper -----------------------------------------------------------------


def test_the_seed_paper_dry_run_lists_its_ten_recommendations_and_writes_nothing(
    db, db_url, clock, tmp_path
):
    seed = tmp_path / "suffolk-ap23-07.txt"
    seed.write_text(SEED_TEXT, encoding="utf-8")

    r = _cli(["import", str(seed), "--dry-run"], db_url, clock)

    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "inspection NCPI 'National Child Protection Inspection (Re-inspection)" in out
    assert "published 22 December 2022; Suffolk Constabulary" in out
    assert "found 10 recommendations:" in out
    for n in range(1, 11):
        status = "signed off" if n in SIGNED_OFF else "outstanding"
        assert f"\n  R{n} (line " in out and f"R{n} (line" in out
        line = next(x for x in out.splitlines() if x.startswith(f"  R{n} (line "))
        assert status in line
    assert "      - Using the Philomena protocol\n" in out
    assert "R6 (line 192, outstanding, no timescale given)" in out
    assert "dry run, nothing written" in out and "recommendations: 10 new" in out
    with db.read() as s:
        assert s.exec(select(Inspection)).all() == []
    assert count(db, Update) == 0


def test_a_dry_run_creates_no_database_file(tmp_path, clock):
    seed = tmp_path / "seed.txt"
    seed.write_text(SEED_TEXT, encoding="utf-8")
    missing = tmp_path / "not-yet.db"

    r = _cli(["import", str(seed), "--dry-run"], f"sqlite:///{missing}", clock)

    assert r.returncode == 0, r.stderr
    assert "found 10 recommendations:" in r.stdout and "not set up yet" in r.stdout
    assert not missing.exists() and list(tmp_path.iterdir()) == [seed]


def test_the_seed_paper_imports_to_the_samples_ten_recommendations_and_twice_changes_nothing(
    db, db_url, clock, tmp_path
):
    seed = tmp_path / "suffolk-ap23-07.txt"
    seed.write_text(SEED_TEXT, encoding="utf-8")

    r = _cli(["import", str(seed)], db_url, clock)

    assert r.returncode == 0, r.stderr
    assert "read suffolk-ap23-07.txt: 10 recommendations (R1 to R10)" in r.stdout
    assert "imported into NCPI — inspection: 1 new" in r.stdout
    assert "recommendations: 10 new" in r.stdout
    with db.read() as s:
        insp = s.exec(select(Inspection)).one()
        assert (insp.code, insp.force, insp.published) == (
            "NCPI",
            "Suffolk Constabulary",
            date(2022, 12, 22),
        )
        assert insp.title.startswith("National Child Protection Inspection (Re-inspection)")
    recs = _recs(db)
    assert sorted(recs) == [s.number for s in RECS]
    for sample in RECS:
        rec, subs = recs[sample.number]
        want = RecStatus.SIGNED_OFF if sample.number in SIGNED_OFF else RecStatus.OUTSTANDING
        assert rec.status == want, sample.number
        # the paper's wording, which the sample tidies in places ("Authorise", "the way, it")
        assert _words(rec.text)[:12] == _words(sample.text)[:12], sample.number
        assert len(subs) == len(sample.sub_points), sample.number
        if sample.timescale == "No timescale given":
            assert rec.timescale is None
        else:
            assert rec.timescale == sample.timescale, sample.number
    assert recs[3][1] == list(RECS[2].sub_points)
    state, history = snapshot(db), count(db, Update)

    again = _cli(["import", str(seed)], db_url, clock)

    assert again.returncode == 0, again.stderr
    assert "NCPI: the tracker already matches the file; nothing changed" in again.stdout
    assert snapshot(db) == state and count(db, Update) == history


def test_the_seed_paper_over_the_sample_tracker_changes_wording_only(
    sample, db_url, clock, tmp_path
):
    seed = tmp_path / "suffolk-ap23-07.txt"
    seed.write_text(SEED_TEXT, encoding="utf-8")
    state = snapshot(sample)

    r = _cli(["import", str(seed), "--dry-run"], db_url, clock)

    assert r.returncode == 0, r.stderr
    assert "NCPI would change — inspection: 0 new, 1 changed; recommendations: 0 new" in r.stdout
    assert ", status:" not in r.stdout  # the paper's statuses are the sample's
    assert ", timescale:" not in r.stdout  # R6 states none: the tracker's is kept
    assert "row 82, text: 'That Suffolk" in r.stdout  # the paper's own wording of R2
    assert snapshot(sample) == state


# -- a Word report and a PDF report --------------------------------------------------------


def test_a_word_report_imports_its_recommendations_and_areas_for_improvement(
    db, db_url, clock, tmp_path
):
    path = tmp_path / "peel-report.docx"
    d = docx.Document()
    d.add_heading("An inspection of Example Constabulary", 1)
    d.add_paragraph("Recommendation 1")
    d.add_paragraph("By 31 March 2027, Example Constabulary should improve how it answers calls:")
    d.add_paragraph("answering 999 calls within ten seconds;", style="List Bullet")
    d.add_paragraph("recording the caller's needs.", style="List Bullet")
    d.add_paragraph("We found calls were answered slowly at night.")
    d.add_paragraph("Recommendation 2")
    d.add_paragraph("Within six months, Example Constabulary should review its custody staffing.")
    d.add_paragraph("Area for improvement 1")
    d.add_paragraph("The force should improve how it records ethnicity.")
    d.save(path)

    r = _cli(
        [
            "import",
            str(path),
            "--code",
            "PEEL25",
            "--title",
            "PEEL 2025 Example",
            "--published",
            "1 March 2026",
        ],
        db_url,
        clock,
    )

    assert r.returncode == 0, r.stderr
    assert (
        "read peel-report.docx: 2 recommendations and 1 area for improvement (R1, R2; AFI1)"
        in r.stdout
    )
    with db.read() as s:
        insp = s.exec(select(Inspection)).one()
        assert (insp.code, insp.title, insp.published) == (
            "PEEL25",
            "PEEL 2025 Example",
            date(2026, 3, 1),
        )
        assert insp.force == "Example Constabulary"
    recs = _recs(db)
    assert sorted(recs) == [1, 2]
    assert recs[1][0].timescale == "By 31 March 2027"
    assert recs[1][1] == ["answering 999 calls within ten seconds", "recording the caller's needs"]
    assert recs[2][0].timescale == "Within six months" and recs[2][1] == []
    assert recs[2][0].status == RecStatus.OPEN  # a report does not say; the tracker starts open
    afis = _recs(db, "afi")
    assert list(afis) == [1]
    assert afis[1][0].text == "The force should improve how it records ethnicity."

    dry = _cli(
        ["import", str(path), "--dry-run", "--code", "PEEL25", "--title", "x"], db_url, clock
    )

    assert "found 1 area for improvement:" in dry.stdout
    assert "AFI1 (line " in dry.stdout and "The force should improve how it records" in dry.stdout


def test_a_pdf_report_imports_its_recommendations(db, db_url, clock, tmp_path):
    path = tmp_path / "ncpi-report.pdf"
    path.write_bytes(
        _pdf_of(
            [
                "National child protection inspection (NCPI) of Example Police",
                "Published: 3 February 2026",
                "Recommendation 1",
                "That Example Police immediately reviews how it assesses risk to",
                "missing children, so that it can:",
                "- grade each report by risk; and",
                "- supervise the response.",
                "Findings",
                "The force has made a start.",
                "Recommendation 2",
                "That, within three months, Example Police trains its control room staff.",
            ]
        )
    )

    r = _cli(["import", str(path), "--title", "NCPI of Example Police"], db_url, clock)

    assert r.returncode == 0, r.stderr
    assert "read ncpi-report.pdf: 2 recommendations (R1, R2)" in r.stdout
    with db.read() as s:
        insp = s.exec(select(Inspection)).one()
        assert (insp.code, insp.published, insp.force) == (
            "NCPI",
            date(2026, 2, 3),
            "Example Police",
        )
    recs = _recs(db)
    assert recs[1][0].text == (
        "That Example Police immediately reviews how it assesses risk to missing children, "
        "so that it can:"
    )
    assert recs[1][1] == ["grade each report by risk", "supervise the response"]
    assert recs[1][0].timescale == "Immediately"
    assert recs[2][0].timescale == "Within three months"


# -- refused ---------------------------------------------------------------------------------


def test_a_text_with_nothing_found_is_refused_and_nothing_is_written(db, db_url, clock, tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text(
        "Minutes of the panel\n\nThe panel noted the update.\nRecommendations were discussed.\n"
    )

    for args in (["--dry-run"], []):
        r = _cli(["import", str(path), "--code", "X", "--title", "Y", *args], db_url, clock)

        assert r.returncode == 1
        assert "nothing was imported: minutes.txt has 3 lines of text (12 words)" in r.stderr
        assert "no numbered recommendation" in r.stderr
    with db.read() as s:
        assert s.exec(select(Inspection)).all() == []


def test_a_repeated_number_is_refused_naming_it(db, db_url, clock, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(
        SEED_TEXT.replace("Recommendation 9 (Remains outstanding)", "Recommendation 2"),
        encoding="utf-8",
    )

    r = _cli(["import", str(path)], db_url, clock)

    assert r.returncode == 1
    assert (
        "nothing was imported: report.txt has Recommendation 2 (R2) twice, at lines 82 and 234"
        in r.stderr
    )
    with db.read() as s:
        assert s.exec(select(Inspection)).all() == []
    assert count(db, Update) == 0


def test_a_report_that_does_not_say_its_code_or_title_asks_for_them(db, db_url, clock, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("Recommendation 1\n\nThe force should answer calls faster.\n")

    r = _cli(["import", str(path)], db_url, clock)

    assert r.returncode == 1
    assert "does not say the inspection's code or title; give --code and --title" in r.stderr
    with db.read() as s:
        assert s.exec(select(Inspection)).all() == []
