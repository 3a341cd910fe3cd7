"""The shell's Slack: a loopback server that answers the Web API and response_url posts the
app makes, keeps what is on screen (messages, ephemeral replies, Home, modals) and prints it.
A file the app uploads (the panel paper) is written to `files_dir` (`ncpi-bot shell`: the
working folder) under the name Slack would show, and its path printed."""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from bot.shell.render import plain, render_blocks

TEAM_ID = "T0SHELL"
APP_ID = "A0SHELL"
BOT_USER_ID = "U0NCPIBOT"
CHANNEL = "C0SHELL"
DEFAULT_USER = "U0SAFELEAD"


@dataclass
class Surface:
    """Something on screen the user can click: a message, an ephemeral reply, Home, a modal."""

    kind: str  # ephemeral | message | home | modal
    blocks: list[dict]
    channel: str | None = None
    ts: str | None = None
    response_url: str | None = None
    view: dict | None = None
    text: str = ""
    thread_ts: str | None = None


@dataclass
class FakeSlack:
    """An in-process Slack: answers the Web API and response_url posts, keeps what it got."""

    user: str = DEFAULT_USER
    surfaces: list[Surface] = field(default_factory=list)
    modals: list[dict] = field(default_factory=list)
    printed: list[str] = field(default_factory=list)
    calls: list[tuple[str, dict]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    files_dir: Path | None = None  # where uploaded files are written; None: kept in memory only
    saved: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._uploads: dict[str, tuple[str, bytes]] = {}  # file id → (filename, content)
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = self.path
                is_file = path.startswith("/upload/")
                args = {} if is_file else _parse(raw, self.headers.get("Content-Type") or "")
                with fake.lock:
                    answer = fake.receive(path, raw) if is_file else fake.handle(path, args)
                out = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        self.root = f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.root}/api/"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    # -- what arrives ---------------------------------------------------------------------

    def handle(self, path: str, args: dict) -> dict:
        if path.startswith("/respond/"):
            self.calls.append(("respond", args))
            self.on_respond(path, args)
            return {"ok": True}
        method = path.removeprefix("/api/")
        self.calls.append((method, args))
        fn = getattr(self, "m_" + method.replace(".", "_"), None)
        return fn(args) if fn else {"ok": True}

    def receive(self, path: str, content: bytes) -> dict:
        """The bytes of a file, posted to the upload URL `files.getUploadURLExternal` gave."""
        fid = path.removeprefix("/upload/")
        if fid not in self._uploads:
            return {"ok": False, "error": "invalid_upload_url"}
        self._uploads[fid] = (self._uploads[fid][0], content)
        return {"ok": True}

    def on_respond(self, path: str, args: dict) -> None:
        url = self.root + path
        blocks = _blocks(args.get("blocks"))
        text = args.get("text") or ""
        if args.get("delete_original"):
            self.surfaces = [s for s in self.surfaces if s.response_url != url]
            return
        if args.get("replace_original"):
            for s in reversed(self.surfaces):
                if s.response_url == url and s.kind in ("ephemeral", "message"):
                    s.blocks, s.text = blocks, text
                    self.show(s, "(updated) ")
                    return
        kind = "message" if args.get("response_type") == "in_channel" else "ephemeral"
        s = Surface(kind, blocks, channel=CHANNEL, ts=self.next_ts(), response_url=url, text=text)
        self.surfaces.append(s)
        self.show(s, "to the channel: " if kind == "message" else "only you: ")

    def m_auth_test(self, args: dict) -> dict:
        return {
            "ok": True,
            "user_id": BOT_USER_ID,
            "bot_id": "B0SHELL",
            "app_id": APP_ID,
            "team_id": TEAM_ID,
            "user": "ncpi",
        }

    def m_users_info(self, args: dict) -> dict:
        """Everyone the shell meets is a full member of its workspace."""
        user = args.get("user") or self.user
        return {"ok": True, "user": {"id": user, "team_id": TEAM_ID, "deleted": False}}

    def m_chat_postMessage(self, args: dict) -> dict:
        channel = args["channel"]
        if channel.startswith(("U", "W")):
            channel = "D" + channel[1:]
        s = Surface(
            "message",
            _blocks(args.get("blocks")),
            channel=channel,
            ts=self.next_ts(),
            text=args.get("text") or "",
            thread_ts=args.get("thread_ts"),
        )
        self.surfaces.append(s)
        where = f"DM to {_dm_user(channel)}" if channel.startswith("D") else f"#{channel}"
        self.show(s, f"{where}{' (in thread)' if s.thread_ts else ''}: ")
        return {"ok": True, "channel": channel, "ts": s.ts, "message": {"text": s.text}}

    def m_chat_update(self, args: dict) -> dict:
        for s in self.surfaces:
            if s.ts == args.get("ts") and s.channel == args.get("channel"):
                s.blocks, s.text = _blocks(args.get("blocks")), args.get("text") or s.text
                self.show(s, "(updated) ")
                return {"ok": True, "channel": s.channel, "ts": s.ts}
        return {"ok": False, "error": "message_not_found"}

    def m_conversations_open(self, args: dict) -> dict:
        user = (args.get("users") or "").split(",")[0]
        return {"ok": True, "channel": {"id": "D" + user[1:]}}

    def m_conversations_history(self, args: dict) -> dict:
        found = [
            s
            for s in self.surfaces
            if s.channel == args.get("channel") and s.ts == args.get("latest")
        ]
        return {
            "ok": True,
            "messages": [{"ts": s.ts, "text": s.text, "blocks": s.blocks} for s in found],
        }

    def m_reactions_add(self, args: dict) -> dict:
        self.out(f"(reacted :{args.get('name')}: to your message)")
        return {"ok": True}

    def m_views_open(self, args: dict) -> dict:
        view = _view(args.get("view"))
        view["id"] = f"V{next(self._ids):06d}"
        view["hash"] = self.next_ts()  # Slack's hash changes whenever the view does
        self.modals = [view]
        self.show_modal(view)
        return {"ok": True, "view": view}

    def m_views_push(self, args: dict) -> dict:
        view = _view(args.get("view"))
        view["id"] = f"V{next(self._ids):06d}"
        view["hash"] = self.next_ts()  # Slack's hash changes whenever the view does
        self.modals.append(view)
        self.show_modal(view)
        return {"ok": True, "view": view}

    def m_views_publish(self, args: dict) -> dict:
        view = _view(args.get("view"))
        self.surfaces = [s for s in self.surfaces if s.kind != "home"]
        s = Surface("home", view.get("blocks") or [], view=view)
        self.surfaces.append(s)
        self.show(s, "App Home: ")
        return {"ok": True, "view": view}

    def m_files_getUploadURLExternal(self, args: dict) -> dict:  # noqa: N802
        fid = f"F{next(self._ids):06d}"
        self._uploads[fid] = (Path(args.get("filename") or fid).name, b"")
        return {"ok": True, "upload_url": f"{self.root}/upload/{fid}", "file_id": fid}

    def m_files_completeUploadExternal(self, args: dict) -> dict:  # noqa: N802
        """Slack would show the file in the channel; the shell writes it to a file."""
        files = args.get("files")
        files = json.loads(files) if isinstance(files, str) else files or []
        if any(f.get("id") not in self._uploads for f in files):
            return {"ok": False, "error": "file_not_found"}
        channel = args.get("channel_id") or ""
        where = f"DM to {_dm_user(channel)}" if channel.startswith("D") else f"#{channel}"
        if args.get("initial_comment"):
            self.out(f"{where}: {plain(args['initial_comment'])}")
        for f in files:
            name, content = self._uploads.pop(f["id"])
            shown = f"(file «{f.get('title') or name}» in the {where}"
            if self.files_dir is None:
                self.out(f"{shown}: {name}, {len(content)} bytes)")
                continue
            path = self.files_dir.absolute() / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            self.saved.append(path)
            self.out(f"{shown}, saved as {path})")
        return {"ok": True, "files": [{"id": f.get("id")} for f in files]}

    # -- printing ---------------------------------------------------------------------------

    def out(self, text: str) -> None:
        self.printed.append(text)

    def show(self, s: Surface, prefix: str) -> None:
        body = render_blocks(s.blocks) if s.blocks else plain(s.text)
        self.out(prefix + ("\n" if "\n" in body else "") + body)

    def show_modal(self, view: dict) -> None:
        title = (view.get("title") or {}).get("text", "")
        submit = (view.get("submit") or {}).get("text")
        close = (view.get("close") or {}).get("text", "Cancel")
        buttons = f"[{submit}] " if submit else ""
        self.out(
            f"Modal «{title}»:\n{render_blocks(view.get('blocks') or [])}\n{buttons}[{close}]"
            + ("   (type: submit field=value …, or cancel)" if submit else "")
        )


def _parse(raw: bytes, content_type: str) -> dict:
    text = raw.decode() if raw else ""
    if "json" in content_type:
        return json.loads(text or "{}")
    return dict(parse_qsl(text, keep_blank_values=True))


def _blocks(value: Any) -> list[dict]:
    if isinstance(value, str):
        return json.loads(value) if value else []
    return value or []


def _view(value: Any) -> dict:
    return json.loads(value) if isinstance(value, str) else dict(value or {})


def _dm_user(channel: str) -> str:
    return "@U" + channel[1:]
