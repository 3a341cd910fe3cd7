"""The workspace's HTTP face: the Web API under /api/, response_url posts under
/response/<key>, file bytes under /upload/<file id>."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

# Parameters that arrive JSON-encoded when a client sends a form.
JSON_PARAMS = ("blocks", "attachments", "view", "metadata", "files")


@dataclass
class Call:
    """One request the workspace received; unpacks as `(method, args)`."""

    method: str  # e.g. "chat.postMessage"; "response_url" and "upload" for those endpoints
    args: dict[str, Any]  # query + form + JSON body, JSON-encoded params decoded
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)
    at: float = 0.0  # time.monotonic() when received
    path: str = ""

    def __iter__(self) -> Iterator[Any]:
        return iter((self.method, self.args))

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        return self.response.get("error")


class Handler(BaseHTTPRequestHandler):
    workspace: Any  # the Workspace this server answers for
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch()

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch()

    def _dispatch(self) -> None:
        owner = self.workspace
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        call = Call(method="", args={}, headers=headers, at=owner.clock(), path=parts.path)
        if parts.path.startswith("/api/"):
            call.method = parts.path.removeprefix("/api/")
            call.args = parse_args(parts.query, raw, headers.get("content-type", ""))
            call.status, call.response, extra = owner.handle_api(call.method, call.args, headers)
            if owner.lose_answer(call.method):
                call.response["lost"] = True
                owner._record(call)
                self.close_connection = True  # carried out; the answer never arrives
                return
            owner._record(call)
            if "_html" in call.response:
                self._send(call.status, call.response["_html"].encode(), "text/html", extra)
                return
            self._send(call.status, json.dumps(call.response).encode(), "application/json", extra)
        elif parts.path.startswith("/response/"):
            call.method = "response_url"
            try:
                call.args = json.loads(raw or b"{}")
            except ValueError:
                call.args = {"_raw": raw.decode("utf-8", "replace")}
            status, text = owner.handle_response_url(parts.path.rsplit("/", 1)[1], call.args)
            call.status, call.response = status, {"ok": status == 200, "text": text}
            owner._record(call)
            self._send(status, text.encode(), "text/plain", {})
        elif parts.path.startswith("/upload/"):
            call.method = "upload"
            call.args = {"bytes": len(raw)}
            status, text = owner.upload(parts.path.rsplit("/", 1)[1], raw)
            call.status, call.response = status, {"ok": status == 200}
            owner._record(call)
            self._send(status, text.encode(), "text/plain", {})
        else:
            self._send(404, b"not found", "text/plain", {})

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


def parse_args(query: str, raw: bytes, content_type: str) -> dict[str, Any]:
    """A call's arguments: query, form or JSON body, JSON-encoded params decoded."""
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if raw and content_type.startswith("application/json"):
        body = json.loads(raw)
        if isinstance(body, dict):
            args.update(body)
    elif raw:
        args.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    for key in JSON_PARAMS:
        if isinstance(args.get(key), str) and args[key][:1] in ("[", "{"):
            try:
                args[key] = json.loads(args[key])
            except ValueError:
                pass
    return args
