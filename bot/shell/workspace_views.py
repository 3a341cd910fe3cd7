"""The workspace's modals, App Home and file uploads (a part of `Workspace`)."""

from __future__ import annotations

import time
from typing import Any

from bot.shell.workspace_chat import answer_problems
from bot.slack_rules import view_problems


class ViewsAndFiles:
    """views.open/push/update/publish and files_upload_v2's three steps."""

    views: dict[str, dict[str, Any]]
    home: dict[str, dict[str, Any]]
    files: dict[str, dict[str, Any]]
    expired_triggers: set[str]
    team_id: str
    app_id: str
    bot_id: str

    def _store_view(self, view: dict[str, Any], view_id: str | None = None) -> dict[str, Any]:
        view_id = view_id or self._next_id("V")
        stored = {
            **view,
            "id": view_id,
            "team_id": self.team_id,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
            "hash": f"{time.time():.6f}.{next(self._ids)}",
            "state": {"values": {}},
        }
        self.views[view_id] = stored
        return stored

    def _m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        trigger = str(args.get("trigger_id") or "")
        if not trigger:
            return {"ok": False, "error": "invalid_trigger_id"}
        if trigger in self.expired_triggers:
            return {"ok": False, "error": "expired_trigger_id"}
        problems = view_problems(args.get("view"))
        if problems:
            return answer_problems("invalid_arguments", problems)
        return {"ok": True, "view": self._store_view(args["view"])}

    _m_views_push = _m_views_open

    def _m_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id = args.get("view_id")
        if not view_id and args.get("external_id"):
            view_id = next(
                (k for k, v in self.views.items() if v.get("external_id") == args["external_id"]),
                None,
            )
        if not view_id or view_id not in self.views:
            return {"ok": False, "error": "not_found"}
        if args.get("hash") and args["hash"] != self.views[view_id]["hash"]:
            return {"ok": False, "error": "hash_conflict"}
        problems = view_problems(args.get("view"))
        if problems:
            return answer_problems("invalid_arguments", problems)
        return {"ok": True, "view": self._store_view(args["view"], view_id)}

    def _m_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("user_id") or "")
        if self._user(user) is None:
            return {"ok": False, "error": "user_not_found"}
        view = args.get("view")
        problems = view_problems(view, kind="home")
        if problems:
            return answer_problems("invalid_arguments", problems)
        stored = self._store_view(view)
        self.home[user] = stored
        return {"ok": True, "view": stored}

    # -- files (files_upload_v2) -------------------------------------------------------------

    def _m_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = self._next_id("F")
        self.files[file_id] = {
            "id": file_id,
            "name": args["filename"],
            "length": int(args["length"]),
            "content": None,
        }
        return {"ok": True, "upload_url": f"{self.root_url}/upload/{file_id}", "file_id": file_id}

    def upload(self, file_id: str, data: bytes) -> tuple[int, str]:
        with self._lock:
            if file_id not in self.files:
                return 404, "file not found"
            self.files[file_id]["content"] = data
            return 200, f"OK - {len(data)}"

    def _m_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args.get("files") or []
        if not files or any(f.get("id") not in self.files for f in files):
            return {"ok": False, "error": "file_not_found"}
        if any(self.files[f["id"]]["content"] is None for f in files):
            return {"ok": False, "error": "file_upload_not_completed"}  # step 2 was skipped
        channel = None
        if args.get("channel_id"):
            channel = self._channel(args["channel_id"])
            if channel is None:
                return {"ok": False, "error": "channel_not_found"}
        out = []
        for f in files:
            stored = self.files[f["id"]]
            stored.update(
                title=f.get("title") or stored["name"],
                channel=channel,
                initial_comment=args.get("initial_comment"),
                thread_ts=args.get("thread_ts"),
            )
            out.append({"id": stored["id"], "name": stored["name"], "title": stored["title"]})
        if channel:
            message = {
                "type": "message",
                "user": self.bot_user_id,
                "text": args.get("initial_comment") or "",
                "files": out,
                "ts": self._next_ts(),
            }
            if args.get("thread_ts"):
                message["thread_ts"] = str(args["thread_ts"])
            self.channels[channel].append(message)
        return {"ok": True, "files": out}
