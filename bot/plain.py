"""Plain-text renderings for the terminal (CLI): the conversation's own (conversation/plain.py)."""

from __future__ import annotations

from conversation.plain import summary_text as summary_text
