"""`ncpi-bot shell`: the same Bolt app, driven from a terminal with no Slack and no token.

Each typed line becomes the request Slack would send (a slash command, a button press, a
modal submission, an event) and goes through `app.dispatch`; everything the app sends back
(`respond()`, Web API calls) lands in an in-process stand-in for Slack on loopback and is
printed as readable text. Anything tried here can become a test.

Lines:
    /ncpi summary   (or just: summary)     a slash command
    click On track R2.1                    press a button (label, then the action or value)
    click Post to channel                  ... the ref can be left out when only one matches
    submit status="at risk" note="waiting on IT"   submit the open modal (field=value)
    cancel                                 close the open modal
    reply Waiting on the IT change         reply in the thread of the latest DM about actions
    home                                   open the App Home tab
    as U0DIMISS01                          act as someone else
    quit
"""

from __future__ import annotations

import itertools
import json
import re
import shlex
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode

from slack_bolt import App, BoltRequest

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

    def __post_init__(self) -> None:
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
                    answer = fake.handle(path, args)
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
        if path.startswith("/upload/"):
            return {"ok": True}
        method = path.removeprefix("/api/")
        self.calls.append((method, args))
        fn = getattr(self, "m_" + method.replace(".", "_"), None)
        return fn(args) if fn else {"ok": True}

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
        self.modals = [view]
        self.show_modal(view)
        return {"ok": True, "view": view}

    def m_views_push(self, args: dict) -> dict:
        view = _view(args.get("view"))
        view["id"] = f"V{next(self._ids):06d}"
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
        return {"ok": True, "upload_url": f"{self.root}/upload/{fid}", "file_id": fid}

    def m_files_completeUploadExternal(self, args: dict) -> dict:  # noqa: N802
        files = args.get("files")
        files = json.loads(files) if isinstance(files, str) else files or []
        names = ", ".join(f.get("title") or f.get("id") for f in files)
        self.out(f"(file uploaded to {args.get('channel_id')}: {names})")
        return {"ok": True, "files": [{"id": f.get("id")} for f in files]}

    # -- printing ---------------------------------------------------------------------------

    def out(self, text: str) -> None:
        self.printed.append(text)

    def show(self, s: Surface, prefix: str) -> None:
        body = render_blocks(s.blocks) if s.blocks else _plain(s.text)
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


# -- rendering ---------------------------------------------------------------------------------

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
LINK = re.compile(r"<(https?://[^|>]+)(?:\|([^>]+))?>")
BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")


def _plain(text: str) -> str:
    """mrkdwn as a terminal shows it: mentions as @U…, entities decoded."""
    text = MENTION.sub(r"@\1", text or "")
    text = LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = BOLD.sub(r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text(obj: dict | None) -> str:
    return _plain((obj or {}).get("text") or "")


def render_blocks(blocks: list[dict]) -> str:
    lines: list[str] = []
    for b in blocks:
        t = b.get("type")
        if t == "header":
            lines.append(f"== {_text(b.get('text'))} ==")
        elif t == "section":
            text = _text(b.get("text"))
            if b.get("fields"):
                text += ("\n" if text else "") + "  " + " | ".join(_text(f) for f in b["fields"])
            acc = b.get("accessory")
            if acc and acc.get("type") == "button":
                text += f"  [{_text(acc.get('text'))}]"
            lines.append(text)
        elif t == "context":
            lines.append(
                "  "
                + " · ".join(_text(e) for e in b.get("elements") or [] if e.get("type") != "image")
            )
        elif t == "actions":
            lines.append(
                "  " + " ".join(f"[{_text(e.get('text'))}]" for e in b.get("elements") or [])
            )
        elif t == "divider":
            lines.append("  ---")
        elif t == "input":
            el = b.get("element") or {}
            kind = el.get("type", "")
            opts = el.get("options") or []
            extra = ""
            if opts:
                shown = " | ".join(_text(o.get("text")) for o in opts[:8])
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
                f"  {_text(b.get('label'))}{optional} → {b.get('block_id')}= <{kind}>{extra}"
            )
        else:
            lines.append(f"  ({t} block)")
    return "\n".join(lines)


# -- the shell ---------------------------------------------------------------------------------


class Shell:
    """Turns typed lines into Slack requests for the real Bolt app and prints what comes back."""

    def __init__(self, app: App, fake: FakeSlack, *, user: str = DEFAULT_USER) -> None:
        self.app, self.fake, self.user = app, fake, user
        self._n = itertools.count(1)

    def run(self, line: str) -> str:
        """One typed line → what the user would see, as text."""
        self.fake.printed.clear()
        line = line.strip()
        if not line or line.startswith("#"):
            return ""
        word, _, rest = line.partition(" ")
        word = word.lower()
        if word == "click":
            self._click(rest)
        elif word == "submit":
            self._submit(rest)
        elif word == "cancel":
            self.fake.modals = self.fake.modals[:-1]
            self.fake.out("(modal closed)")
        elif word == "reply":
            self._reply(rest)
        elif word == "home":
            self._event(
                {
                    "type": "app_home_opened",
                    "user": self.user,
                    "tab": "home",
                    "channel": "D" + self.user[1:],
                }
            )
        elif word == "as":
            self.user = rest.strip() or DEFAULT_USER
            self.fake.user = self.user
            self.fake.out(f"(now acting as {self.user})")
        else:
            self._command(line)
        return "\n".join(self.fake.printed)

    # -- requests -----------------------------------------------------------------------------

    def _dispatch(self, body: str, content_type: str) -> dict:
        resp = self.app.dispatch(BoltRequest(body=body, headers={"content-type": [content_type]}))
        if resp.status >= 400:
            self.fake.out(f"(the app answered HTTP {resp.status})")
        try:
            return json.loads(resp.body) if resp.body else {}
        except ValueError:
            return {}

    def _command(self, line: str) -> None:
        text = line[5:].strip() if line.lower().startswith("/ncpi") else line
        n = next(self._n)
        form = {
            "token": "shell",
            "team_id": TEAM_ID,
            "team_domain": "shell",
            "channel_id": CHANNEL,
            "channel_name": "shell",
            "user_id": self.user,
            "user_name": self.user,
            "command": "/ncpi",
            "text": text,
            "api_app_id": APP_ID,
            "response_url": f"{self.fake.root}/respond/{n}",
            "trigger_id": f"shell.trigger.{n}",
        }
        self._dispatch(urlencode(form), "application/x-www-form-urlencoded")

    def _find_button(self, rest: str) -> tuple[Surface, dict, dict] | None:
        words = rest.split()
        candidates = []
        for s in reversed(self.fake.surfaces):
            for b in s.blocks:
                els = (
                    [b.get("accessory")] if b.get("type") == "section" else b.get("elements") or []
                )
                for e in els:
                    if not e or e.get("type") != "button":
                        continue
                    label = _text(e.get("text")).rstrip("…").lower()
                    candidates.append((s, b, e, label))
        for cut in range(len(words), 0, -1):
            label, ref = " ".join(words[:cut]).lower().rstrip("…"), " ".join(words[cut:])
            for s, b, e, have in candidates:
                if have != label:
                    continue
                where = f"{b.get('block_id') or ''} {e.get('value') or ''}".lower()
                if (
                    not ref
                    or ref.lower() in where.split("|")
                    or ref.lower() == (e.get("value") or "").lower()
                ):
                    return s, b, e
        return None

    def _click(self, rest: str) -> None:
        found = self._find_button(rest)
        if found is None:
            self.fake.out(f"(no button `{rest}` on screen: type e.g. `click On track R2.1`)")
            return
        s, block, el = found
        n = next(self._n)
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": self.user, "team_id": TEAM_ID},
            "team": {"id": TEAM_ID},
            "api_app_id": APP_ID,
            "trigger_id": f"shell.trigger.{n}",
            "actions": [
                {
                    "type": "button",
                    "action_id": el["action_id"],
                    "block_id": block.get("block_id") or "",
                    "value": el.get("value"),
                    "text": el.get("text"),
                    "action_ts": str(time.time()),
                }
            ],
        }
        if s.kind == "home":
            payload["container"] = {"type": "view", "view_id": "VHOME"}
            payload["view"] = {"id": "VHOME", "type": "home", "blocks": s.blocks}
        else:
            payload["container"] = {
                "type": "message",
                "message_ts": s.ts,
                "channel_id": s.channel,
                "is_ephemeral": s.kind == "ephemeral",
            }
            payload["channel"] = {"id": s.channel}
            payload["response_url"] = s.response_url or f"{self.fake.root}/respond/{n}"
            if s.kind == "message":
                payload["message"] = {
                    "type": "message",
                    "ts": s.ts,
                    "text": s.text,
                    "blocks": s.blocks,
                }
                if s.response_url is None:
                    s.response_url = payload["response_url"]
        self._dispatch(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )

    def _submit(self, rest: str) -> None:
        if not self.fake.modals:
            self.fake.out("(no modal is open)")
            return
        view = self.fake.modals[-1]
        try:
            pairs = shlex.split(rest)
        except ValueError as e:
            self.fake.out(f"(could not read that: {e})")
            return
        given = dict(p.split("=", 1) for p in pairs if "=" in p)
        values: dict[str, dict] = {}
        for b in view.get("blocks") or []:
            if b.get("type") != "input":
                continue
            bid, el = b["block_id"], b.get("element") or {}
            kind, raw = el.get("type"), given.get(b["block_id"])
            aid = el.get("action_id", "value")
            if kind == "static_select":
                opt = None
                want = raw if raw is not None else (el.get("initial_option") or {}).get("value")
                for o in el.get("options") or []:
                    if want and want.lower() in (o["value"].lower(), _text(o.get("text")).lower()):
                        opt = o
                values[bid] = {aid: {"type": kind, "selected_option": opt}}
            elif kind == "users_select":
                values[bid] = {
                    aid: {
                        "type": kind,
                        "selected_user": (raw or el.get("initial_user") or "").lstrip("@") or None,
                    }
                }
            elif kind == "datepicker":
                values[bid] = {aid: {"type": kind, "selected_date": raw or el.get("initial_date")}}
            else:
                values[bid] = {
                    aid: {
                        "type": kind,
                        "value": raw if raw is not None else el.get("initial_value"),
                    }
                }
        payload = {
            "type": "view_submission",
            "user": {"id": self.user, "team_id": TEAM_ID},
            "team": {"id": TEAM_ID},
            "api_app_id": APP_ID,
            "view": {**view, "state": {"values": values}, "team_id": TEAM_ID},
        }
        answer = self._dispatch(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )
        action = answer.get("response_action")
        if action == "errors":
            for bid, msg in (answer.get("errors") or {}).items():
                self.fake.out(f"(form error on {bid}) {_plain(msg)}")
        elif action == "push":
            self.fake.m_views_push({"view": answer["view"]})
        elif action == "update":
            self.fake.modals[-1] = answer["view"]
            self.fake.show_modal(answer["view"])
        elif action == "clear":
            self.fake.modals = []
        else:
            self.fake.modals = self.fake.modals[:-1]

    def _reply(self, text: str) -> None:
        dm = "D" + self.user[1:]
        parents = [
            s
            for s in self.fake.surfaces
            if s.kind == "message" and s.channel == dm and not s.thread_ts
        ]
        if not parents:
            self.fake.out("(no DM from the bot to reply to yet)")
            return
        parent = parents[-1]
        ts = self.fake.next_ts()
        self._event(
            {
                "type": "message",
                "channel": dm,
                "channel_type": "im",
                "user": self.user,
                "text": text,
                "ts": ts,
                "thread_ts": parent.ts,
            }
        )

    def _event(self, event: dict) -> None:
        body = {
            "type": "event_callback",
            "team_id": TEAM_ID,
            "api_app_id": APP_ID,
            "event_id": f"Ev{next(self._n):08d}",
            "event_time": int(time.time()),
            "event": event,
        }
        self._dispatch(json.dumps(body), "application/json")


def open_shell(settings, *, user: str = DEFAULT_USER) -> tuple[Shell, FakeSlack]:  # noqa: ANN001
    """The app on the configured database (created, and the sample loaded, if empty)."""
    import dataclasses

    from bot.app import Deps, create_app

    fake = FakeSlack(user=user)
    settings = dataclasses.replace(settings, slack_api_url=fake.api_url, slack_bot_token=None)
    from bot.wiring import apply_leads, make_clock, open_database

    clock = make_clock(settings)
    db = open_database(settings)
    if ensure_sample(db, clock, settings):
        apply_leads(db, settings)
    app = create_app(
        Deps(settings=settings, db=db, clock=clock),
        verify_requests=False,
        process_before_response=True,
    )
    return Shell(app, fake, user=user), fake


def ensure_sample(db, clock, settings) -> bool:  # noqa: ANN001
    """An empty tracker gets the sample, so the shell always has something to show."""
    from sqlmodel import select

    from models.sample import load_sample
    from models.service import set_role
    from models.tables import Inspection, Role

    with db.write() as session:
        if session.exec(select(Inspection)).first() is not None:
            return False
        load_sample(session, now=clock.now(), today=clock.today(), tz=settings.tz)
        for lead in settings.leads:
            set_role(session, user_id=lead, role=Role.LEAD)
    return True


def main_loop(shell: Shell, *, interactive: bool, out=sys.stdout) -> None:  # noqa: ANN001
    if interactive:
        try:
            import readline  # noqa: F401 - line editing and history at the prompt
        except ImportError:
            pass
        print(
            f"ncpi shell, acting as {shell.user}. Type `help` for the /ncpi commands, "
            "`click <button> <ref>` to press a button, `quit` to leave.",
            file=out,
        )
    while True:
        try:
            line = input("ncpi> " if interactive else "")
        except EOFError:
            break
        if line.strip().lower() in ("quit", "exit"):
            break
        if not interactive and line.strip():
            print(f"> {line.strip()}", file=out)
        shown = shell.run(line)
        if shown:
            print(shown + "\n", file=out, flush=True)
