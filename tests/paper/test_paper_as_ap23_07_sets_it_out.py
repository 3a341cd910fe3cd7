"""The draft set out as AP23/07 sets itself out: its paragraph numbers, the lead-ins before a
recommendation's sub-points, the protective marking, the trend chart beside the RAG chart,
and people named by name."""

from __future__ import annotations

import io
import re

from docx import Document
from sqlmodel import select

from models.paper import build_paper, chart_png, render_docx, render_markdown
from models.transfer import import_file
from tests.ap23_07 import SEED, ap23_07_workbook
from tests.conftest import TZ
from tests.paper.conftest import NAMELESS, PANEL, tracker_paper

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


def _word_text(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def test_the_paragraphs_carry_ap23_07s_own_numbers(db, clock, tmp_path):
    _recs, path = ap23_07_workbook(tmp_path / "ap23-07.xlsx")
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


# -- lead-ins: "This should include:" stands before the sub-points ----------------------------

LEAD_IN = "This should include:"
POINTS = ["Using the Philomena protocol", "Improving risk assessment for missing children"]
TEXT = "That the force immediately improves how it responds when children go missing."


def _paper_of(db, clock) -> tuple[str, list]:
    with db.read() as session:
        paper = build_paper(session, today=clock.today(), now=clock.now())
    doc = Document(io.BytesIO(render_docx(paper)))
    return render_markdown(paper), doc.paragraphs


def _lead_in_before_points(md: str, paragraphs: list) -> None:
    """The recommendation's text ends with the lead-in; the sub-points follow it as bullets."""
    assert f"{TEXT} {LEAD_IN}\n\n- {POINTS[0]}\n- {POINTS[1]}\n" in md
    assert f"- {LEAD_IN}" not in md
    texts = [p.text for p in paragraphs]
    at = texts.index(f"{TEXT} {LEAD_IN}")
    assert texts[at + 1 : at + 3] == POINTS
    assert [p.style.name for p in paragraphs[at + 1 : at + 3]] == ["List Bullet"] * 2


def _with_panel(db, clock) -> None:
    from datetime import datetime, time

    from models.tables import Inspection, PanelMeeting

    with db.write() as s:
        insp = s.exec(select(Inspection)).one()
        day = clock.today().replace(year=clock.today().year + 1)
        at = datetime.combine(day, time(10), tzinfo=TZ)
        s.add(PanelMeeting(inspection_id=insp.id, day=day, starts_at=at, paper_ref="AP27/01"))


def test_a_reports_lead_in_paragraph_is_kept_before_its_sub_points(db, clock, tmp_path):
    from models.transfer.report_text import import_report

    path = tmp_path / "report.txt"
    path.write_text(
        "\n\n".join(
            [
                "National Child Protection Inspection (NCPI) of Example Constabulary",
                "Recommendation 2",
                TEXT,
                LEAD_IN,  # a paragraph of its own, as a Word report often has it
                f"- {POINTS[0]};",
                f"- {POINTS[1]}.",
                "We found that children missing overnight waited for a risk assessment.",
            ]
        ),
        encoding="utf-8",
    )
    import_report(db, path, now=clock.now(), tz=TZ, title="NCPI Example")
    _with_panel(db, clock)
    _lead_in_before_points(*_paper_of(db, clock))


def test_a_workbooks_lead_in_is_kept_before_its_sub_points(db, clock, tmp_path):
    from tests.factories import BASE_SHEETS, workbook

    recs = [
        ["Number", "Text", "Sub-points"],
        [1, TEXT, f"{LEAD_IN}\n- {POINTS[0]}\n- {POINTS[1]}"],  # the lead-in atop the points
        [2, f"{TEXT} {LEAD_IN}\n- {POINTS[0]}\n- {POINTS[1]}", None],  # bullets in the Text
    ]
    sheets = {**BASE_SHEETS, "Recommendations": recs, "Panel meetings": [["Date"], ["18/12/2026"]]}
    import_file(
        db, workbook(tmp_path / "w.xlsx", sheets), now=clock.now(), today=clock.today(), tz=TZ
    )
    md, paragraphs = _paper_of(db, clock)
    for n in (1, 2):
        section = md.split(f"### Recommendation {n} ")[1].split("####")[0]
        assert f"{TEXT} {LEAD_IN}\n\n- {POINTS[0]}\n- {POINTS[1]}\n" in section, section
    assert f"- {LEAD_IN}" not in md


def test_the_samples_recommendation_2_reads_as_ap23_07s(sample, clock):
    md, paragraphs = _paper_of(sample, clock)
    r2 = md.split("### Recommendation 2 ")[1].split("####")[0]
    assert "missing children. This should include:\n\n- Having regard to the College" in r2
    texts = [p.text for p in paragraphs]
    at = next(
        i for i, t in enumerate(texts) if t.endswith("missing children. This should include:")
    )
    assert texts[at + 1].startswith("Having regard to the College of Policing")


# -- the protective marking: a setting, in Word's header and footer, atop the Markdown ---------------


def _marks(docx_bytes: bytes) -> tuple[str, str]:
    sec = Document(io.BytesIO(docx_bytes)).sections[0]
    return sec.header.paragraphs[0].text, sec.footer.paragraphs[-1].text


def test_the_marking_is_a_setting_read_once():
    import pytest

    from models.errors import ConfigError
    from models.settings import load_settings

    assert load_settings({}).marking == "OFFICIAL"
    got = load_settings({"NCPI_MARKING": "  official-sensitive  "}).marking
    assert got == "OFFICIAL-SENSITIVE"
    with pytest.raises(ConfigError, match="NCPI_MARKING must be a protective marking"):
        load_settings({"NCPI_MARKING": "<!channel> SECRET"})


def test_the_marking_setting_heads_and_foots_paper_and_response(sample, db_url, tmp_path):
    import subprocess
    import sys

    from tests import ROOT
    from tests.e2e_server import cli_env

    env = cli_env(
        DATABASE_URL=db_url, NCPI_CLOCK="2026-11-25T10:00:00Z", NCPI_MARKING="official-sensitive"
    )
    written = {}
    for name, extra in (
        ("p.docx", []),
        ("p.md", []),
        ("r.docx", ["--response"]),
        ("r.md", ["--response"]),
    ):
        out = tmp_path / name
        run = subprocess.run(
            [sys.executable, "-m", "bot", "--env-file", "/nonexistent/.env", "report", *extra]
            + ["--out", str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        written[name] = out
    for name in ("p.docx", "r.docx"):
        assert _marks(written[name].read_bytes()) == ("OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE")
    for name in ("p.md", "r.md"):
        lines = written[name].read_text(encoding="utf-8").splitlines()
        assert lines[0] == "**OFFICIAL-SENSITIVE**" and lines[1] == ""


def test_the_paper_a_lead_gets_in_slack_carries_the_marking(sample, clock, slack_standin):
    from urllib.parse import urlencode

    from slack_bolt.request import BoltRequest

    from bot.app import Deps, create_app
    from models.sample import LEAD
    from models.settings import load_settings

    settings = load_settings({**slack_standin.env(), "NCPI_MARKING": "OFFICIAL-SENSITIVE"})
    app = create_app(
        Deps(settings, sample, clock), verify_requests=False, process_before_response=True
    )
    for text in ("report", "report response"):
        form = {
            "team_id": "T0STANDIN",
            "channel_id": "C0PANEL01",
            "user_id": LEAD,
            "command": "/ncpi",
            "text": text,
            "api_app_id": "A0STANDIN",
            "response_url": slack_standin.response_url(text.replace(" ", "-")),
            "trigger_id": "t.1",
        }
        headers = {"content-type": ["application/x-www-form-urlencoded"]}
        assert app.dispatch(BoltRequest(body=urlencode(form), headers=headers)).status == 200
        slack_standin.wait_for_response(text.replace(" ", "-"), count=2)
    assert len(slack_standin.files) == 2
    for stored in slack_standin.files.values():
        assert _marks(stored["content"]) == ("OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE")


# -- the trend: open actions by RAG at each panel so far, from history ------------------------

GREEN, AMBER = (0x27, 0xAE, 0x60), (0xE6, 0x7E, 0x22)  # models.paper RAG colours


def _has_colour(png: bytes, rgb: tuple[int, int, int]) -> bool:
    from PIL import Image

    return any(c == rgb for _n, c in Image.open(io.BytesIO(png)).convert("RGB").getcolors(1 << 20))


def _pngs(docx_bytes: bytes) -> list[bytes]:
    doc = Document(io.BytesIO(docx_bytes))
    return [
        doc.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        for s in doc.inline_shapes
    ]


def test_the_trend_shows_each_panel_so_far_as_it_stood(tracker):
    from datetime import date

    from models.paper import trend_png

    paper = tracker_paper(tracker)  # for the panel of 21 May, drafted on 1 May
    trend = [
        (p.day, p.paper_ref, p.counts["red"], p.counts["amber"], p.counts["green"])
        for p in paper.trend
    ]
    # 19 March as it stood (R1.1 at risk, R2.1 late; R1.2 not yet added), then today's tracker
    assert trend == [(PANEL, "AP27/03", 1, 1, 0), (date(2027, 5, 21), "AP27/05", 1, 0, 2)]
    past = tracker_paper(tracker, panel=PANEL)
    assert [(p.day, p.counts["red"], p.counts["amber"]) for p in past.trend] == [(PANEL, 1, 1)]
    # no colour without a value: nothing was green on 19 March, so no green in its chart
    assert not _has_colour(trend_png(past), GREEN) and _has_colour(trend_png(past), AMBER)
    assert _has_colour(trend_png(paper), GREEN)


def test_the_word_file_carries_the_trend_after_the_rag_chart_and_markdown_beside(
    tracker,
    tmp_path,
):
    from models.paper import chart_png, trend_png, write_paper

    paper = tracker_paper(tracker)
    (docx_path,) = write_paper(paper, tmp_path / "paper.docx")
    doc = Document(docx_path)
    assert _pngs(docx_path.read_bytes()) == [chart_png(paper), trend_png(paper)]
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions == [
        "Figure 1: actions by RAG status per recommendation.",
        "Figure 2: open actions by RAG status at each panel.",
    ]
    md_path, rag, trend = write_paper(paper, tmp_path / "paper.md")
    assert (rag.name, trend.name) == ("paper-rag-chart.png", "paper-trend-chart.png")
    assert trend.read_bytes() == trend_png(paper)
    md = md_path.read_text(encoding="utf-8")
    assert (
        md.index("(paper-rag-chart.png)")
        < md.index("![Open actions by RAG status at each panel](paper-trend-chart.png)")
        < md.index("### Recommendation 1")
    )


# -- names, not ids: Slack's users.info names a member the table knows only by id ------------


def test_the_paper_names_an_owner_slack_knows_by_name(tracker, slack_standin):
    from bot.app import create_client
    from bot.report_upload import check_report, upload_report
    from models.clock import Clock
    from models.settings import load_settings
    from tests.paper.conftest import LEAD, TODAY, at

    slack_standin.add_user(NAMELESS, real_name="PC Sam Philips")
    clock = Clock(TZ, at(TODAY))
    client = create_client(load_settings(slack_standin.env()))
    upload_report(client, tracker, clock, check_report(tracker, clock, actor=LEAD, text=""))
    (stored,) = slack_standin.files.values()
    doc = Document(io.BytesIO(stored["content"]))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "PC Sam Philips" in cells and "[owner to be named]" not in cells
    assert NAMELESS not in "\n".join(cells + [p.text for p in doc.paragraphs])
    asked = [c.args["user"] for c in slack_standin.calls_to("users.info")]
    upload_report(client, tracker, clock, check_report(tracker, clock, actor=LEAD, text=""))
    assert [c.args["user"] for c in slack_standin.calls_to("users.info")] == asked  # kept


def test_a_lead_writing_in_slack_is_named_in_the_papers_wording(sample, clock, slack_standin):
    from models.service import rec_paragraphs
    from models.tables import Member
    from tests.slack_helpers import make_app, run

    lead = "U0NEWLEAD1"
    with sample.write() as s:
        s.add(Member(user_id=lead, display_name=lead, role="lead"))  # known by id only
    slack_standin.add_user(lead, real_name="DCI Priya Shah")
    app = make_app(slack_standin, sample, clock)
    run(
        app,
        clock,
        "findings R2 improvement Night cover is agreed.",
        user=lead,
        standin=slack_standin,
        key="f",
    )
    slack_standin.wait_for_response("f")
    with sample.read() as s:
        _r, have = rec_paragraphs(s, rec="R2")
        assert s.get(Member, lead).display_name == "DCI Priya Shah"
    (added,) = [p for p in have["improvement"] if p.text == "Night cover is agreed."]
    assert added.author == "DCI Priya Shah"


def test_no_module_of_the_paper_runs_past_400_lines():
    from pathlib import Path

    import models.paper

    folder = Path(models.paper.__file__).parent
    long = {p.name: n for p in folder.glob("*.py") if (n := len(p.read_text().splitlines())) > 400}
    assert long == {}
