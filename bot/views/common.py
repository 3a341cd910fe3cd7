"""Shared Block Kit helpers: escaping, Slack's limits, small building blocks.

Every function here is pure. Slack's limits (50 blocks per message, 100 per modal or App
Home, 3000 characters of section text, 150 of header text, 75 of button text, 2000 of
button value) are bot/slack_rules.py's, named here as the views use them.
"""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot import slack_rules
from conversation.said import Code, Person, Quote, Said, Strong
from models.errors import NcpiError
from models.people import is_user_id, people, person
from models.wording import error_text
from models.wording import local_time as local_time  # the time and day formats' one home
from models.wording import long_day as long_day
from models.wording import short_day as short_day

# Slack's limits have one home, bot/slack_rules.py (slack_sdk's own where it has them).
MAX_MESSAGE_BLOCKS = slack_rules.MESSAGE_BLOCKS
MAX_VIEW_BLOCKS = slack_rules.VIEW_BLOCKS
MAX_SECTION = slack_rules.SECTION_TEXT
MAX_HEADER = slack_rules.HEADER_TEXT
MAX_BUTTON_TEXT = slack_rules.BUTTON_TEXT
MAX_BUTTON_VALUE = slack_rules.BUTTON_VALUE
MAX_CONTEXT = 2000  # per context element (text object)
MAX_FALLBACK = 3000  # we keep the notification text short; Slack truncates at 40k


def escape(text: str | None) -> str:
    """User text made inert for mrkdwn: `<!channel>` and `<@U1>` never ping or link."""
    if not text:
        return ""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis (never splits an &entity;)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:] and len(cut) - amp < 6:
        cut = cut[:amp]
    return cut + "…"


def mention(user_id: str | None, name: str | None = None, *, ping: bool = True) -> str:
    """A person in mrkdwn: a mention when `ping`, otherwise their escaped display name."""
    if not user_id:
        return "nobody yet"
    if not is_user_id(user_id):
        return escape(name or user_id)
    if not ping and name and name != user_id:
        return escape(name)
    return f"<@{user_id}>"


def mrkdwn(s: Said) -> str:
    """A conversation's sentence (conversation.said) as mrkdwn: words escaped, people as
    mentions, a command as code."""
    out = []
    for p in s:
        if isinstance(p, str):
            out.append(escape(p))
        elif isinstance(p, Strong):
            out.append(f"*{escape(p.text)}*")
        elif isinstance(p, Code):
            out.append(f"`{escape(p.text)}`")
        elif isinstance(p, Quote):
            out.append(f"\n>{escape(p.text)}")
        elif isinstance(p, Person):
            out.append(mention(p.id, p.name))
    return "".join(out)


def error_mrkdwn(error: NcpiError, *, board: str | None) -> str:
    """An error's sentence as mrkdwn: all of it escaped (it may echo what was typed, and
    `<!channel>` in a refusal must ping nobody), then the people it names as mentions."""
    return people(escape(error_text(error, board=board, person=person)), mention)


def section(text: str, *, block_id: str | None = None, accessory=None) -> SectionBlock:
    return SectionBlock(
        text=MarkdownTextObject(text=clip(text, MAX_SECTION) or " "),
        block_id=block_id,
        accessory=accessory,
    )


def header(text: str) -> HeaderBlock:
    """Plain text (never parsed for mentions); angle brackets still swapped so a title like
    `<!channel>` reads as text in every client."""
    safe = text.replace("<", "‹").replace(">", "›")
    return HeaderBlock(text=PlainTextObject(text=clip(safe, MAX_HEADER), emoji=True))


def context(*texts: str, block_id: str | None = None) -> ContextBlock:
    return ContextBlock(
        elements=[MarkdownTextObject(text=clip(t, MAX_CONTEXT)) for t in texts[:10]],
        block_id=block_id,
    )


def button(
    text: str,
    action_id: str,
    value: str | None = None,
    *,
    style: str | None = None,
) -> ButtonElement:
    if value is not None and len(value) > MAX_BUTTON_VALUE:
        raise ValueError("button value over Slack's 2000 characters")
    return ButtonElement(
        text=PlainTextObject(text=clip(text, MAX_BUTTON_TEXT), emoji=True),
        action_id=str(action_id),
        value=value,
        style=style,
    )


def sections_from_lines(lines: list[str], *, max_blocks: int) -> tuple[list[Block], int]:
    """Pack lines into as few sections as fit (3000 characters each), at most `max_blocks`.
    Returns the blocks and how many lines did not fit."""
    blocks: list[Block] = []
    current: list[str] = []
    size = 0
    for i, line in enumerate(lines):
        line = clip(line, MAX_SECTION)
        if current and size + len(line) + 1 > MAX_SECTION:
            if len(blocks) + 1 >= max_blocks:
                blocks.append(section("\n".join(current)))
                return blocks, len(lines) - i
            blocks.append(section("\n".join(current)))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        blocks.append(section("\n".join(current)))
    return blocks, 0
