"""`/ncpi help`: the grammar (conversation/guide.py), drawn as Block Kit."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import Block

from bot.views.common import context, escape, header, section
from conversation.guide import EVERYONE, GUARDRAIL, LEADS, NOTES, THREADS, TITLE, dated, lines


def help_blocks(today: date) -> list[Block]:
    return [
        header(TITLE),
        section("*Everyone*\n" + escape(lines(EVERYONE, today))),
        section("*Leads*\n" + escape(lines(LEADS, today))),
        context(escape(dated(NOTES, today))),
        context(escape(GUARDRAIL)),
        context(escape(THREADS)),
    ]


def help_text(today: date) -> str:
    return escape("/ncpi commands:\n" + lines(EVERYONE, today) + "\n" + lines(LEADS, today))
