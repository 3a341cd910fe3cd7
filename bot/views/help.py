"""`/ncpi help`: the grammar (conversation/guide.py), drawn as Block Kit."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import Block

from bot.views.common import context, header, section
from conversation.guide import EVERYONE, GUARDRAIL, LEADS, NOTES, THREADS, TITLE, dated, lines


def help_blocks(today: date) -> list[Block]:
    return [
        header(TITLE),
        section("*Everyone*\n" + lines(EVERYONE, today)),
        section("*Leads*\n" + lines(LEADS, today)),
        context(dated(NOTES, today)),
        context(GUARDRAIL),
        context(THREADS),
    ]


def help_text(today: date) -> str:
    return "/ncpi commands:\n" + lines(EVERYONE, today) + "\n" + lines(LEADS, today)
