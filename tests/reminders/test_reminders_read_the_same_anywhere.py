"""A reminder's words are the conversation's (conversation/reminders.py): Slack's Block Kit
and the plain text of conversation/plain.py say the same sentences, each in its own markup,
and the plain rendering needs no Slack code at all."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from models.planner import Kind, Owed, OwedItem
from models.planner.model import PanelInfo
from models.service.milestones import MilestoneView

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Europe/London")
LEAD, OWNER, OTHER, MANAGER = "U0LEAD001", "U0OWNER01", "U0OWNER02", "U0MGR0001"
READY = "U0OWNER03"  # an action due before the panel countdown begins: a due-date DM
DIGEST = "C0DIGEST1"
EMOJI_CODE = re.compile(r":[a-z_]+:")


def unmarked(mrkdwn: str) -> str:
    """Slack's mrkdwn as the words it shows: mentions as `@id`, no bold, code or emoji."""
    s = re.sub(r"<@([UW][A-Z0-9]+)>", r"@\1", mrkdwn)
    s = re.sub(r" ?:[a-z_]+: ?", lambda m: " " if m.group().strip() != m.group() else "", s)
    s = s.replace("*", "").replace("`", "")
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def planned(db) -> dict[str, tuple[Owed, dict[int, datetime]]]:
    """The first reminder of each kind planned for a small tracker, working day by working
    day before its panel (Fri 18 Dec 2026), with its actions' last updates."""
    from sqlmodel import select

    from models.planner import owed
    from models.settings import Settings
    from models.tables import Inspection, Role, Status, Update
    from tests.reminder_fixtures import A, M, Tracker, build, local

    tracker = Tracker(
        [
            A(OWNER, date(2026, 12, 17), updated=datetime(2026, 11, 3, 10, tzinfo=UTC)),
            A(OWNER, date(2026, 12, 4), Status.AT_RISK),
            A(OTHER, date(2027, 3, 31), Status.IMPLEMENTED),
            A(None, date(2026, 12, 1)),
            A(READY, date(2026, 12, 17), updated=datetime(2026, 12, 1, 10, tzinfo=UTC)),
            A(READY, date(2026, 12, 3)),
        ],
        members=[
            M(LEAD, role=Role.LEAD),
            M(OWNER, manager=MANAGER),
            M(OTHER),
            M(MANAGER),
            M(READY),
        ],
        panels=[local(2026, 12, 18, 10)],
    )
    with db.write() as s:
        build(s, tracker)
        for insp in s.exec(select(Inspection)):
            insp.published = date(2026, 11, 23)  # the chief constable's comments: Mon 21 Dec
    settings = Settings(digest_channel=DIGEST)
    first: dict[str, tuple[Owed, dict[int, datetime]]] = {}
    days = [(11, 30)] + [(12, d) for d in (7, 8, 9, 10, 11, 14, 15, 16, 17)]
    for month, day in days:
        with db.read() as s:
            last = {u.action_id: u.at for u in s.exec(select(Update))}
            for o in owed(s, now=local(2026, month, day, 9, 5), settings=settings):
                first.setdefault(o.kind, (o, last))
    assert set(first) == set(Kind), set(Kind) - set(first)
    return first


def both(o: Owed, last: dict[int, datetime]) -> tuple[dict, str]:
    from bot.views.reminders import reminder_message
    from conversation.plain import reminder

    return reminder_message(o, last_updates=last, tz=TZ), reminder(o, last_updates=last, tz=TZ)


def sections(slack: dict) -> list[str]:
    return [b["text"]["text"] for b in slack["blocks"] if b["type"] == "section"]


def test_each_reminder_says_in_plain_text_what_it_says_in_slack(db):
    for kind, (o, last) in planned(db).items():
        slack, plain = both(o, last)
        head = unmarked(sections(slack)[0])
        assert head in plain, (kind, head, plain)
        if kind not in (Kind.ESCALATION, Kind.DIGEST):  # these name what they are first
            assert unmarked(slack["text"]) in plain, (kind, slack["text"], plain)
        for line in "\n".join(sections(slack)[1:]).splitlines():
            if not line.startswith("…and"):  # Slack's limits, not the plain text's
                assert unmarked(line) in plain, (kind, line, plain)
        for b in slack["blocks"]:
            if b["type"] == "context":
                assert unmarked(b["elements"][0]["text"]) in plain, (kind, b, plain)
            if b["type"] == "header":
                assert b["text"]["text"] in plain


def test_a_plain_reminder_carries_no_slack_markup(db):
    """No mention, bold, emoji code or escape: people as `@id`, titles as typed."""
    shown = [both(o, last)[1] for o, last in planned(db).values()]
    from conversation.plain import reminder

    typed = [reminder(o, last_updates={}, tz=TZ) for o in every_kind().values()]
    for plain in shown + typed:
        assert "<@" not in plain and "*R" not in plain and "`" not in plain, plain
        assert not EMOJI_CODE.search(plain), plain
        assert "&lt;" not in plain and "&amp;" not in plain, plain
    for kind, plain in zip(every_kind(), typed, strict=True):
        if kind not in (Kind.MILESTONE, Kind.REVIEW):
            assert "Action <1> & co" in plain, (kind, plain)


def test_rows_in_a_plain_reminder_offer_what_their_buttons_offer(db):
    """Each action row is followed by its steps as `[Label]`, the recipient's as Slack's
    buttons are (wording.row_offers), or by whom it waits on; the DM closes with snooze."""
    shown = planned(db)
    for kind in (Kind.PANEL, Kind.DUE):
        o, last = shown[kind]
        slack, plain = both(o, last)
        rows = [b for b in slack["blocks"] if (b.get("block_id") or "").startswith("row|")]
        assert rows, kind
        for b in rows:
            if b["type"] == "actions":
                labels = "  ".join(f"[{e['text']['text']}]" for e in b["elements"])
                assert f"\n  {labels}\n" in plain, (kind, labels, plain)
            else:
                assert "  " + unmarked(b["elements"][0]["text"]) in plain
        assert "[Remind me next working day]" in plain
    o, _ = shown[Kind.REVIEW]
    assert both(o, {})[1].endswith("[Review the paper]")


def test_an_owner_is_shown_their_steps_and_an_implemented_action_whom_it_waits_on():
    from conversation.plain import reminder

    items = (
        OwedItem(1, "R2.1", "Action 1", OWNER, date(2026, 11, 30), "on_track", "due soon"),
        OwedItem(2, "R2.2", "Action 2", OWNER, date(2026, 11, 30), "implemented", "due soon"),
    )
    day = date(2026, 11, 25)
    due = Owed(Kind.DUE, OWNER, day, OWNER, "", items, today=day)
    plain = reminder(due, last_updates={}, tz=TZ)
    assert "R2.1 Action 1" in plain and "[On track]  [At risk]" in plain
    assert "R2.2 Action 2" in plain and "Implemented — waiting for a lead to verify." in plain


def every_kind() -> dict[str, Owed]:
    """One owed reminder of each kind, built without a database."""
    day = date(2026, 11, 25)
    item = OwedItem(1, "R2.1", "Action <1> & co", OWNER, date(2026, 11, 20), "at_risk", "overdue")
    panel = PanelInfo(
        7,
        date(2026, 12, 2),
        datetime(2026, 12, 2, 10, tzinfo=UTC),
        "AP26/12",
        "Panel",
        date(2026, 10, 20),
        date(2026, 10, 20),
    )
    milestone = MilestoneView(
        1,
        "NCPI",
        "s55",
        "PCC's comments published (s.55)",
        "Police Act 1996 s.55",
        date(2026, 12, 9),
        date(2026, 12, 9),
        False,
        False,
    )

    def owed(kind: str, **kw) -> Owed:
        return Owed(kind=kind, target=OWNER, local_day=day, recipient=OWNER, today=day, **kw)

    grouped = (item._replace(group="overdue"),)
    return {
        Kind.PANEL: owed(Kind.PANEL, reason="", items=(item,), panel=panel),
        Kind.DUE: owed(Kind.DUE, reason="", items=(item,)),
        Kind.ESCALATION: owed(Kind.ESCALATION, reason="", items=(item,)),
        Kind.DIGEST: owed(Kind.DIGEST, reason="weekly digest: 1 overdue", items=grouped),
        Kind.READINESS: owed(Kind.READINESS, reason="", items=(item,), panel=panel),
        Kind.MILESTONE: owed(Kind.MILESTONE, reason="", milestone=milestone),
        Kind.REVIEW: owed(Kind.REVIEW, reason="", panel=panel),
    }


def render_plainly() -> None:
    """Each kind through conversation.plain (run in a fresh interpreter by the test below)."""
    from conversation.plain import plain_reminder

    for o in every_kind().values():
        assert plain_reminder(o, last_updates={}, tz=TZ)["text"]


def test_rendering_reminders_plainly_loads_no_slack_code():
    not_here = ("slack_sdk", "slack_bolt", "bot")
    code = (
        "import sys; from tests.reminders import test_reminders_read_the_same_anywhere as t;"
        "t.render_plainly();"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {not_here!r}];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
