"""The workspace's conversations, messages and reactions (a part of `Workspace`)."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from bot.slack_rules import message_problems
from models.people import USER_ID

CHANNEL_ID = re.compile(r"^[CGDUW][A-Z0-9]+$")


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true")


def answer_problems(error: str, messages: list[str]) -> dict[str, Any]:
    """Slack's refusal with its `[ERROR] …` messages in `response_metadata`."""
    body: dict[str, Any] = {"ok": False, "error": error}
    if messages:
        body["response_metadata"] = {"messages": messages}
    return body


class Chat:
    """conversations.*, chat.*, reactions.add; the state is `Workspace`'s."""

    channels: dict[str, list[dict[str, Any]]]
    unknown_channels: set[str]
    ephemeral: list[dict[str, Any]]
    reactions: list[dict[str, str]]
    bot_user_id: str
    bot_id: str
    app_id: str

    def _channel(self, raw: Any) -> str | None:
        channel = str(raw or "")
        if not CHANNEL_ID.match(channel) or channel in self.unknown_channels:
            return None
        return self.dm_channel(channel) if USER_ID.fullmatch(channel) else channel

    def _m_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = [u for u in str(args.get("users", "")).split(",") if u]
        if not users and args.get("channel"):
            channel = self._channel(args["channel"])
            if channel is None:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "channel": {"id": channel}}
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        if any(self._user(u) is None for u in users):
            return {"ok": False, "error": "user_not_found"}
        channel = self.dm_channel(users[0]) if len(users) == 1 else self._next_id("G")
        return {"ok": True, "channel": {"id": channel, "is_im": len(users) == 1}}

    def _public(self, message: dict[str, Any], with_metadata: bool) -> dict[str, Any]:
        out = json.loads(json.dumps(message))
        if not with_metadata:
            out.pop("metadata", None)
        return out

    def _m_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        meta = _truthy(args.get("include_all_metadata"))
        oldest = float(args.get("oldest") or 0)
        latest = float(args.get("latest") or math.inf)
        limit = int(args.get("limit") or 100)
        top = [
            m
            for m in self.channels.get(channel, [])
            if m.get("thread_ts") in (None, m["ts"]) and oldest < float(m["ts"]) < latest
        ]
        top = list(reversed(top))[:limit]  # newest first, as Slack answers
        return {
            "ok": True,
            "messages": [self._public(m, meta) for m in top],
            "has_more": False,
            "response_metadata": {"next_cursor": ""},
        }

    def _m_conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        ts = str(args.get("ts", ""))
        meta = _truthy(args.get("include_all_metadata"))
        stored = self.channels.get(channel, [])
        parent = [m for m in stored if m["ts"] == ts]
        if not parent:
            return {"ok": False, "error": "thread_not_found"}
        replies = [m for m in stored if m.get("thread_ts") == ts and m["ts"] != ts]
        return {
            "ok": True,
            "messages": [self._public(m, meta) for m in parent + replies],
            "has_more": False,
            "response_metadata": {"next_cursor": ""},
        }

    # -- chat ----------------------------------------------------------------------------

    def _with_warnings(self, body: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
        if warnings:
            body["warning"] = ",".join(warnings)
            body["response_metadata"] = {"warnings": warnings}
        return body

    def _m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        error, problems, warnings = message_problems(args)
        if error:
            return answer_problems(error, problems)
        message: dict[str, Any] = {
            "type": "message",
            "subtype": "bot_message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": args.get("text") or "",
            "ts": self._next_ts(),
        }
        for key in ("blocks", "attachments", "metadata"):
            if args.get(key):
                message[key] = args[key]
        if args.get("thread_ts"):
            message["thread_ts"] = str(args["thread_ts"])
        self.channels[channel].append(message)
        return self._with_warnings(
            {"ok": True, "channel": channel, "ts": message["ts"], "message": dict(message)},
            warnings,
        )

    def _m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        ts = str(args.get("ts", ""))
        found = [m for m in self.channels.get(channel, []) if m["ts"] == ts]
        if not found:
            return {"ok": False, "error": "message_not_found"}
        if found[0].get("user") != self.bot_user_id:
            return {"ok": False, "error": "cant_update_message"}
        error, problems, warnings = message_problems(args)
        if error:
            return answer_problems(error, problems)
        message = found[0]
        message["text"] = args.get("text") or ""
        for key in ("blocks", "attachments", "metadata"):
            if key in args:
                message[key] = args[key]
        message["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return self._with_warnings(
            {"ok": True, "channel": channel, "ts": ts, "text": message["text"]}, warnings
        )

    def _m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if not args.get("user") or self._user(str(args["user"])) is None:
            return {"ok": False, "error": "user_not_in_channel"}
        error, problems, warnings = message_problems(args)
        if error:
            return answer_problems(error, problems)
        ts = self._next_ts()
        self.ephemeral.append({**args, "channel": channel, "message_ts": ts})
        return self._with_warnings({"ok": True, "message_ts": ts}, warnings)

    def _m_chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        ts = str(args.get("message_ts", ""))
        return {
            "ok": True,
            "channel": channel,
            "permalink": f"https://standin.slack.com/archives/{channel}/p{ts.replace('.', '')}",
        }

    # -- reactions ------------------------------------------------------------------------

    def _m_reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        name, ts = str(args.get("name", "")), str(args.get("timestamp", ""))
        if not name:
            return {"ok": False, "error": "invalid_name"}
        if not ts:
            return {"ok": False, "error": "no_item_specified"}
        reaction = {"channel": channel, "timestamp": ts, "name": name}
        if reaction in self.reactions:
            return {"ok": False, "error": "already_reacted"}
        self.reactions.append(reaction)
        return {"ok": True}
