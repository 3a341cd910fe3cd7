"""End to end: a lead withdraws an action (with a reason), renames one, and rewords a
recommendation, through the real `ncpi-bot serve` on SQLite and PostgreSQL; the reminder
sweep and the panel paper run as the command line, as of an instant (no waiting on time).

The sample is loaded on Wed 25 Nov 2026 (the server's pinned clock): R2.1 (owner
U0CCRINSP1, whose manager is U0DCIPVP01) is then 3 working days overdue, so the next
morning's sweep chases it and the one after escalates it.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from models import service
from models.tables import Update
from tests.e2e_server import LEAD, Server, cli_in_process, server_env
from tests.slack_standin import SlackStandIn

pytestmark = pytest.mark.e2e

OWNER = "U0CCRINSP1"  # owns R2.1 in the sample, and nothing else
MANAGER = "U0DCIPVP01"  # OWNER's manager: escalations go to them
MEMBER = "U0DIMISS01"  # owns R2.2; not a lead
THU, FRI = date(2026, 11, 26), date(2026, 11, 27)
REASON = "superseded by the MASH review <!channel>"
_KEYS = count(1)


def said(answer: dict[str, Any]) -> str:
    """Everything a reply shows: its fallback text and its blocks' text, as Slack got it."""
    return (
        answer.get("text", "") + "\n" + json.dumps(answer.get("blocks") or [], ensure_ascii=False)
    )


def ask(server: Server, text: str, *, user: str = LEAD) -> str:
    key = f"ask-{next(_KEYS)}"
    sent = server.command(text, user=user, response_url=server.standin.response_url(key))
    assert sent.status == 200, sent
    return said(server.standin.wait_for_response(key).args)


def run(server: Server, *args: str, at: datetime) -> str:
    env = server_env(server.database_url, server.standin, NCPI_CLOCK=at.isoformat())
    done = cli_in_process(*args, env=env)
    assert done.exit_code == 0, done.output
    return done.stdout


def morning(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC)  # 09:00 London: GMT in November


def open_line(summary: str) -> str:
    found = re.search(r"\d+ open actions?: [^\\\n\"]*", summary)
    assert found, summary
    return found.group(0)


def dm_texts(standin: SlackStandIn, user: str) -> list[str]:
    return [m.get("text") or "" for m in standin.messages(standin.dm_channel(user))]


def history(server: Server, ref: str) -> list[Update]:
    with server.db.read() as session:
        return service.history(session, ref=ref)


def status_of(server: Server, ref: str) -> str:
    with server.db.read() as session:
        return service.get_action(session, ref=ref).status


def paper(server: Server, folder: Path) -> str:
    out = folder / "paper.md"
    run(server, "report", "--out", str(out), at=morning(THU))
    return out.read_text(encoding="utf-8")


def test_a_withdrawn_action_is_told_to_its_owner_never_chased_and_not_counted(
    e2e_server: Server, slack_standin: SlackStandIn, tmp_path: Path
) -> None:
    server, standin = e2e_server, slack_standin
    # before: R2.1 is owed a reminder tomorrow, and counts as open and overdue
    owed = run(
        server, "reminders", "run", "--at", morning(THU).isoformat(), "--dry-run", at=morning(THU)
    )
    assert re.search(rf"→ {OWNER} .*R2\.1 overdue", owed), owed
    before = open_line(ask(server, "summary"))
    n_open, n_late = map(int, re.findall(r"(\d+) (?:open actions?|overdue)", before))

    answer = ask(server, f"withdraw R2.1 {REASON}")
    assert "R2.1* — withdrawn, recorded" in answer, answer
    assert "&lt;!channel&gt;" in answer and "<!channel>" not in answer, answer
    assert status_of(server, "R2.1") == "withdrawn"
    last = history(server, "R2.1")[-1]
    assert (last.field, last.before, last.after, last.actor, last.note, last.source) == (
        "status",
        "at_risk",
        "withdrawn",
        LEAD,
        REASON,
        "command",
    )

    # the owner is told, once, why; the reason pings nobody
    standin.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == OWNER)
    (told,) = dm_texts(standin, OWNER)
    assert "withdrew" in told and "R2.1" in told and "superseded by the MASH review" in told
    assert "<!channel>" not in told, told

    # counted no more: one fewer open, one fewer overdue
    after = open_line(ask(server, "summary"))
    assert f"{n_open - 1} open action" in after and f"{n_late - 1} overdue" in after, (
        before,
        after,
    )

    # the sweeps of the next two mornings: no reminder and no escalation about it
    for day in (THU, FRI):
        run(server, "reminders", "run", "--at", morning(day).isoformat(), at=morning(day))
    assert dm_texts(standin, OWNER) == [told]
    assert not [t for t in dm_texts(standin, MANAGER) if "R2.1" in t], dm_texts(standin, MANAGER)
    digests = [t for t in dm_texts(standin, LEAD) if "digest" in t.lower()]
    assert digests and all("R2.1" not in t for t in digests), digests

    # the owner's Home no longer lists it
    assert (
        server.event(
            {"type": "app_home_opened", "user": OWNER, "tab": "home"}, event_id="Ev0WDHOME"
        ).status
        == 200
    )
    home = standin.wait_for("views.publish", where=lambda c: c.args.get("user_id") == OWNER)
    assert "R2.1" not in json.dumps(home.args.get("view"))

    # show and history say it was withdrawn, by whom and why
    shown = ask(server, "show R2.1", user=MEMBER)
    assert (
        "withdrawn" in shown and "Withdrawn" in shown and "superseded by the MASH review" in shown
    )
    told_history = ask(server, "history R2.1", user=MEMBER)
    assert "at risk → withdrawn" in told_history and f"<@{LEAD}>" in told_history, told_history

    # the paper does not list it as outstanding, and says it was withdrawn
    text = paper(server, tmp_path)
    assert "Prompt risk assessment, supervision and task allocation" not in text
    assert "R2.1 was withdrawn by" in text and "superseded by the MASH review" in text


def test_a_mistaken_withdrawal_is_undone_by_reinstating_it(
    e2e_server: Server, slack_standin: SlackStandIn
) -> None:
    server, standin = e2e_server, slack_standin
    assert "withdrawn, recorded" in ask(server, "withdraw R6.1 belongs to the partnership board")
    assert "R6.1" not in ask(server, "mine", user="U0MARACLD1")
    answer = ask(server, "reinstate R6.1")
    assert "R6.1* — reinstated (on track), recorded" in answer, answer
    assert status_of(server, "R6.1") == "on_track"
    assert "R6.1" in ask(server, "mine", user="U0MARACLD1")
    assert [(u.before, u.after) for u in history(server, "R6.1")[-2:]] == [
        ("on_track", "withdrawn"),
        ("withdrawn", "on_track"),
    ]
    told = dm_texts(standin, "U0MARACLD1")
    assert len(told) == 2 and "withdrew" in told[0] and "reinstated" in told[1], told


def test_only_a_lead_withdraws_and_nothing_changes_when_refused(
    e2e_server: Server, slack_standin: SlackStandIn
) -> None:
    server, standin = e2e_server, slack_standin
    stored = server.counts()
    refused = ask(server, "withdraw R2.2 not mine to do", user=MEMBER)
    assert "Only a lead can withdraw actions" in refused, refused
    assert server.counts() == stored
    assert status_of(server, "R2.2") != "withdrawn"
    assert [c for c in standin.calls if c.method == "chat.postMessage"] == []


def test_withdrawing_without_a_reason_is_refused_with_how_to_write_it(
    e2e_server: Server, slack_standin: SlackStandIn
) -> None:
    server = e2e_server
    stored = server.counts()
    refused = ask(server, "withdraw R9.2")
    assert "Say why R9.2 is withdrawn" in refused, refused
    assert "`/ncpi withdraw R2.1 superseded by the MASH review`" in refused, refused
    assert server.counts() == stored
    assert status_of(server, "R9.2") == "on_track"


def test_renaming_and_rewording_keep_every_version_and_show_in_show_and_the_paper(
    e2e_server: Server, slack_standin: SlackStandIn, tmp_path: Path
) -> None:
    server = e2e_server
    old_title = (
        "Frontline officers trained to investigate online child abuse under current guidance"
    )
    new_title = "Every frontline officer trained in online child abuse investigation"
    assert "R4.1* — renamed, recorded" in ask(server, f"rename R4.1 {new_title}")
    assert new_title in ask(server, "show R4.1", user=MEMBER)
    renamed = [u for u in history(server, "R4.1") if u.field == "title"]
    assert [(u.before, u.after, u.actor) for u in renamed] == [(old_title, new_title, LEAD)]
    assert f"{old_title} → {new_title}" in ask(server, "history R4.1")

    first, second = (
        "That the force reduces delays in online child abuse investigations.",
        "That the force reduces delays in online child abuse investigations and reviews them monthly.",
    )
    assert "R4* — text changed" in ask(server, f"edit R4 text {first}")
    assert "R4* — text changed" in ask(server, f"edit R4 text {second}")
    assert "R4* — title changed" in ask(server, "edit R4 title Online child abuse and CAID")
    with server.db.read() as session:
        rec = service.get_recommendation(session, ref="R4")
        rows = session.exec(
            select(Update).where(Update.recommendation_id == rec.id, Update.action_id.is_(None))
        ).all()
    texts = [(u.before, u.after) for u in rows if u.field == "rec_text"]
    assert [after for _, after in texts] == [first, second] and texts[1][0] == first
    assert [u.after for u in rows if u.field == "rec_title"] == ["Online child abuse and CAID"]

    shown = ask(server, "show R4", user=MEMBER)
    assert "Online child abuse and CAID" in shown and second in shown and first not in shown
    assert new_title in shown
    text = paper(server, tmp_path)
    assert "Recommendation 4 – Remains outstanding" in text
    assert second in text and first not in text
    assert "R4 Online child abuse and CAID" in text  # the paper's summary table
    assert new_title in text and old_title not in text


def test_only_a_lead_renames_or_rewords(e2e_server: Server, slack_standin: SlackStandIn) -> None:
    server = e2e_server
    stored = server.counts()
    assert "Only a lead can rename actions" in ask(server, "rename R2.2 Mine now", user=MEMBER)
    assert "Only a lead can edit recommendations" in ask(server, "edit R2 title Mine", user=MEMBER)
    assert server.counts() == stored
