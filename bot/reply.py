"""What a command (or click) answers: blocks with a text fallback, where it goes, an
optional modal to open, and the DMs to send once the transaction has committed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.views.common import MAX_FALLBACK, clip


@dataclass
class Notice:
    """A DM about actions, sent after commit (and recorded in BotMessage)."""

    user: str
    text: str
    blocks: list[Block]
    kind: str
    action_ids: list[int] = field(default_factory=list)


@dataclass
class Reply:
    text: str
    blocks: list[Block] = field(default_factory=list)
    in_channel: bool = False
    modal: View | None = None
    notices: list[Notice] = field(default_factory=list)
    # set when the reply is the first answer to a repeated request (double submit)
    repeated: bool = False
    # a change held back by the guardrail (encoded), when this reply is its prompt
    held: str | None = None
    guarded: bool = False  # the guardrail held a note back: this is its prompt
    held_subject: str = "note"  # what the prompt asks about: a "note", or a past "date"
    # the panel paper to draft and upload after the reply (conversation.report.ReportRequest)
    report: object | None = None

    def message(self) -> dict:
        """Keyword arguments for respond()/chat.postMessage: blocks and a text fallback."""
        return {
            "text": clip(self.text, MAX_FALLBACK),
            "blocks": [b.to_dict() for b in self.blocks],
        }

    def to_json(self) -> str:
        return json.dumps(
            {
                "text": self.text,
                "blocks": [b.to_dict() for b in self.blocks],
                "in_channel": self.in_channel,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, raw: str) -> Reply:
        data = json.loads(raw)
        return cls(
            text=data["text"],
            blocks=Block.parse_all(data.get("blocks") or []),
            in_channel=bool(data.get("in_channel")),
            repeated=True,
        )
