"""The shell's Slack: the strict workspace (`bot.shell.workspace`, which answers and
refuses the Web API as Slack does) that also keeps what is on screen (messages, ephemeral
replies, Home, modals) and prints it. A file the app uploads (the panel paper) is written
to `files_dir` (`ncpi-bot shell`: the working folder) under the name Slack would show, and
its path printed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.shell.render import plain, render_blocks
from bot.shell.workspace import Workspace
from bot.slack_rules import view_problems

TEAM_ID = "T0SHELL"
APP_ID = "A0SHELL"
CHANNEL = "C0SHELL"
DEFAULT_USER = "U0SAFELEAD"
SHELL_TOKEN = "xoxb-shell-0000-token"  # the shell's bot token: its Slack knows no other


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


class FakeSlack(Workspace):
    """An in-process Slack on loopback, started at once: answers the Web API and
    response_url posts as Slack does, and shows what Slack would have shown."""

    def __init__(
        self, *, user: str = DEFAULT_USER, files_dir: Path | None = None, token: str = SHELL_TOKEN
    ) -> None:
        self.user = user
        self.files_dir = files_dir  # where uploaded files are written; None: in memory only
        self.saved: list[Path] = []
        self.surfaces: list[Surface] = []
        self.modals: list[dict] = []
        self.printed: list[str] = []
        super().__init__(token=token, team_id=TEAM_ID, app_id=APP_ID)
        self.start()

    @property
    def root(self) -> str:
        return self.root_url

    # -- what Slack showed -----------------------------------------------------------------

    def answered(self, method: str, args: dict[str, Any], body: dict[str, Any]) -> None:
        shown = getattr(self, "_shown_" + method.replace(".", "_"), None)
        if shown is not None:
            shown(args, body)

    def responded(self, key: str, body: dict[str, Any]) -> None:
        url = self.response_url(key)
        blocks, text = body.get("blocks") or [], body.get("text") or ""
        if body.get("delete_original"):
            self.surfaces = [s for s in self.surfaces if s.response_url != url]
            return
        if body.get("replace_original"):
            for s in reversed(self.surfaces):
                if s.response_url == url and s.kind in ("ephemeral", "message"):
                    s.blocks, s.text = blocks, text
                    self.show(s, "(updated) ")
                    return
        kind = "message" if body.get("response_type") == "in_channel" else "ephemeral"
        s = Surface(kind, blocks, channel=CHANNEL, ts=self._next_ts(), response_url=url, text=text)
        self.surfaces.append(s)
        self.show(s, "to the channel: " if kind == "message" else "only you: ")

    def _shown_chat_postMessage(self, args: dict, body: dict) -> None:  # noqa: N802
        channel = body["channel"]
        s = Surface(
            "message",
            args.get("blocks") or [],
            channel=channel,
            ts=body["ts"],
            text=args.get("text") or "",
            thread_ts=args.get("thread_ts"),
        )
        self.surfaces.append(s)
        self.show(s, f"{_where(channel)}{' (in thread)' if s.thread_ts else ''}: ")

    def _shown_chat_postEphemeral(self, args: dict, body: dict) -> None:  # noqa: N802
        s = Surface("ephemeral", args.get("blocks") or [], channel=args.get("channel"))
        s.ts, s.text = body.get("message_ts"), args.get("text") or ""
        self.surfaces.append(s)
        self.show(s, "only you: ")

    def _shown_chat_update(self, args: dict, body: dict) -> None:
        for s in self.surfaces:
            if s.ts == body.get("ts") and s.channel == body.get("channel"):
                s.blocks, s.text = args.get("blocks") or [], args.get("text") or s.text
                self.show(s, "(updated) ")

    def _shown_reactions_add(self, args: dict, body: dict) -> None:
        self.out(f"(reacted :{args.get('name')}: to your message)")

    def _shown_views_open(self, args: dict, body: dict) -> None:
        self.modals = [body["view"]]
        self.show_modal(body["view"])

    def _shown_views_push(self, args: dict, body: dict) -> None:
        self.modals.append(body["view"])
        self.show_modal(body["view"])

    def _shown_views_update(self, args: dict, body: dict) -> None:
        view = body["view"]
        self.modals = [view if m.get("id") == view["id"] else m for m in self.modals]
        if any(m is view for m in self.modals):
            self.show_modal(view)

    def _shown_views_publish(self, args: dict, body: dict) -> None:
        view = body["view"]
        self.surfaces = [s for s in self.surfaces if s.kind != "home"]
        s = Surface("home", view.get("blocks") or [], view=view)
        self.surfaces.append(s)
        self.show(s, "App Home: ")

    def _shown_files_completeUploadExternal(self, args: dict, body: dict) -> None:  # noqa: N802
        """Slack would show the file in the channel; the shell writes it to a file."""
        where = _where(args.get("channel_id") or "")
        if args.get("initial_comment"):
            self.out(f"{where}: {plain(args['initial_comment'])}")
        for f in body["files"]:
            stored = self.files[f["id"]]
            name, content = Path(stored["name"]).name, stored["content"] or b""
            shown = f"(file «{f.get('title') or name}» in the {where}"
            if self.files_dir is None:
                self.out(f"{shown}: {name}, {len(content)} bytes)")
                continue
            path = self.files_dir.absolute() / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            self.saved.append(path)
            self.out(f"{shown}, saved as {path})")

    def answer_form(self, action: str, view: dict) -> None:
        """A form's submission answered `push` or `update` with a view: Slack shows it, or,
        when it breaks Slack's rules, shows none and the form stays as it was."""
        problems = view_problems(view)
        if problems:
            self.out("(Slack refused the form's answer: " + "; ".join(problems) + ")")
            return
        with self._lock:
            current = self.modals[-1].get("id") if action == "update" and self.modals else None
            stored = self._store_view(view, current)
        if action == "push":
            self.modals.append(stored)
        else:
            self.modals[-1:] = [stored]
        self.show_modal(stored)

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


def _where(channel: str) -> str:
    return f"DM to @U{channel[1:]}" if channel.startswith("D") else f"#{channel}"
