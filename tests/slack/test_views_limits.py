"""Block Kit views stay within Slack's limits at any tracker size, and user text is escaped."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.slack_rules import check_blocks
from bot.views.actions import action_row_blocks
from bot.views.common import escape
from bot.views.help import help_blocks
from bot.views.home import home_view
from bot.views.modals import form_view
from bot.views.summary import rec_detail_blocks, summary_blocks
from bot.views.tracker import history_blocks, mine_blocks
from conversation import forms
from models.service import ActionView, PanelView, RecView, Summary
from models.tables import Update

TODAY = date(2026, 11, 25)
TZ = ZoneInfo("Europe/London")
EVIL = "<!channel> <@U1> & <https://x.example|click> "


def _actions(rec: int, n: int) -> list[ActionView]:
    statuses = ["on_track", "at_risk", "blocked", "implemented", "not_started"]
    return [
        ActionView(
            ref=f"R{rec}.{i}",
            rec_number=rec,
            number=i,
            title=(EVIL + "x" * 300)[:300],
            owner=f"U{rec:03d}{i:04d}",
            owner_name=EVIL,
            owner_accepted=i % 7 != 0,
            due=TODAY - timedelta(days=i - 5),
            status=statuses[i % 5],
            rag=["red", "amber", "green"][i % 3],
            evidence=EVIL * 50,
            last_update=datetime(2026, 11, 1, tzinfo=UTC),
            overdue_working_days=max(0, 5 - i),
        )
        for i in range(1, n + 1)
    ]


def _summary(recs: int, per_rec: int) -> Summary:
    return Summary(
        inspection_code="NCPI",
        inspection_title=EVIL * 3,
        today=TODAY,
        next_panel=PanelView(
            TODAY + timedelta(days=23), datetime(2026, 12, 18, 10, tzinfo=UTC), EVIL, "APP", 23
        ),
        recs=[
            RecView(
                number=r,
                title=EVIL * 5,
                text=EVIL * 200,
                timescale=None,
                status="signed_off" if r % 4 == 0 else "outstanding",
                signed_off_on=None,
                sub_points=[EVIL] * 3,
                actions=_actions(r, per_rec),
            )
            for r in range(1, recs + 1)
        ],
    )


def _valid_message(blocks) -> list[dict]:
    dicts = [b.to_dict() for b in blocks]  # slack_sdk validates each block's limits here
    assert len(dicts) <= 50
    assert check_blocks(dicts, limit=50, pointer="/blocks") == []
    raw = json.dumps(dicts)
    assert "<!channel>" not in raw and "<@U1>" not in raw
    return dicts


def test_summary_and_rec_detail_stay_valid_at_500_actions():
    s = _summary(50, 10)  # 500 actions over 50 recommendations
    _valid_message(summary_blocks(s, viewer_is_lead=True))
    many = _summary(2000, 1)  # more lines than 44 sections hold: cut with "and N more"
    dicts = _valid_message(summary_blocks(many, viewer_is_lead=True))
    assert "more recommendations: see the bot's App Home" in json.dumps(dicts)
    _valid_message(summary_blocks(s, viewer_is_lead=False, posted=True))
    one = _summary(1, 500)
    dicts = _valid_message(rec_detail_blocks(one))
    assert "more actions" in json.dumps(dicts)


def test_home_stays_valid_at_500_actions():
    s = _summary(50, 10)
    for lead in (True, False):
        view = home_view(
            viewer="U0010001",
            viewer_is_lead=lead,
            mine=s.open_actions,
            summary=s if lead else None,
            today=TODAY,
            verify_queue=[a for a in s.open_actions if a.status == "implemented"] if lead else None,
        )
        d = view.to_dict()
        assert len(d["blocks"]) <= 100
        assert check_blocks(d["blocks"], limit=100, pointer="/view/blocks") == []
        assert "<!channel>" not in json.dumps(d)
        assert "more" in json.dumps(d)


def test_mine_history_and_modals_stay_valid_at_size():
    s = _summary(50, 10)
    dicts = _valid_message(
        mine_blocks(s.open_actions, viewer="U0010001", viewer_is_lead=True, today=TODAY)
    )
    assert "more: see the bot's App Home" in json.dumps(dicts)
    updates = [
        Update(
            inspection_id=1,
            actor="U0SAFELEAD",
            at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=i),
            field="note",
            note=EVIL * 20,
            source="command",
        )
        for i in range(2000)
    ]
    _valid_message(history_blocks("R2.1", updates, tz=TZ))
    assert len(form_view(forms.update(None, s.open_actions)).to_dict()["blocks"]) <= 100
    form_view(
        forms.adding(recs=[(f"NCPI:R{i}", f"R{i}", EVIL * 10) for i in range(1, 300)])
    ).to_dict()
    _valid_message(help_blocks(date(2026, 11, 25)))


def test_action_row_buttons_by_viewer():
    a = _actions(2, 10)

    def labels(blocks):
        return [
            e.text.text
            for b in blocks[1:]
            for e in getattr(b, "elements", [])
            if hasattr(e, "action_id")
        ]

    open_row = next(x for x in a if x.status == "on_track")
    assert labels(action_row_blocks(open_row, viewer_is_lead=False, viewer=open_row.owner)) == [
        "On track",
        "At risk",
        "Implemented…",
        "Update…",
    ]
    assert labels(action_row_blocks(open_row, viewer_is_lead=False, viewer="USOMEONE1")) == []
    done = next(x for x in a if x.status == "implemented")
    assert labels(action_row_blocks(done, viewer_is_lead=True, viewer="ULEAD0001")) == [
        "Verify",
        "Return…",
    ]


def test_escape():
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


def test_replace_row_finds_rows_by_id_or_by_button_value():
    from bot.views.actions import recorded_block, replace_row

    a = _actions(2, 10)
    row = next(x for x in a if x.status == "on_track")
    mine = [b.to_dict() for b in action_row_blocks(row, viewer_is_lead=True, origin="dm")]
    other = [
        {
            "type": "actions",
            "block_id": "ncpi_row_7",
            "elements": [{"type": "button", "action_id": "x", "value": row.ref}],
        }
    ]
    for blocks in (mine, other):
        out = replace_row(blocks + [{"type": "divider"}], row.ref, recorded_block(row.ref, "done"))
        assert out is not None and not [b for b in out if b["type"] == "actions"]
    assert replace_row(mine, "R99.1", recorded_block("R99.1", "x")) is None
