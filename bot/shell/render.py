"""Block Kit and mrkdwn as a terminal shows them: mentions as @U…, links as their label."""

from __future__ import annotations

import re

from bot.syntax import read_mentions

LINK = re.compile(r"<(https?://[^|>]+)(?:\|([^>]+))?>")
BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")


def plain(text: str) -> str:
    """mrkdwn as a terminal shows it: mentions as @U…, entities decoded."""
    text = read_mentions(text or "")
    text = LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = BOLD.sub(r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def text_of(obj: dict | None) -> str:
    """The text of a text object, as plain text."""
    return plain((obj or {}).get("text") or "")


def render_blocks(blocks: list[dict]) -> str:
    lines: list[str] = []
    for b in blocks:
        t = b.get("type")
        if t == "header":
            lines.append(f"== {text_of(b.get('text'))} ==")
        elif t == "section":
            text = text_of(b.get("text"))
            if b.get("fields"):
                text += ("\n" if text else "") + "  " + " | ".join(text_of(f) for f in b["fields"])
            acc = b.get("accessory")
            if acc and acc.get("type") == "button":
                text += f"  [{text_of(acc.get('text'))}]"
            lines.append(text)
        elif t == "context":
            lines.append(
                "  "
                + " · ".join(
                    text_of(e) for e in b.get("elements") or [] if e.get("type") != "image"
                )
            )
        elif t == "actions":
            lines.append(
                "  " + " ".join(f"[{text_of(e.get('text'))}]" for e in b.get("elements") or [])
            )
        elif t == "divider":
            lines.append("  ---")
        elif t == "input":
            el = b.get("element") or {}
            kind = el.get("type", "")
            opts = el.get("options") or []
            extra = ""
            if opts:
                shown = " | ".join(text_of(o.get("text")) for o in opts[:8])
                extra = f" one of: {shown}{' …' if len(opts) > 8 else ''}"
            initial = (
                el.get("initial_value")
                or (el.get("initial_option") or {}).get("value")
                or el.get("initial_user")
                or el.get("initial_date")
            )
            if initial:
                extra += f" (now: {initial})"
            optional = " (optional)" if b.get("optional") else ""
            lines.append(
                f"  {text_of(b.get('label'))}{optional} → {b.get('block_id')}= <{kind}>{extra}"
            )
        else:
            lines.append(f"  ({t} block)")
    return "\n".join(lines)
