"""The shell proper: each typed line becomes the request Slack would send, dispatched to the
real Bolt app; what the app sends back is printed by the fake Slack."""

from __future__ import annotations

import itertools
import json
import shlex
import time
import uuid

from slack_bolt import App, BoltRequest

from bot.shell import requests
from bot.shell.fake_slack import APP_ID, CHANNEL, DEFAULT_USER, TEAM_ID, FakeSlack, Surface
from bot.shell.render import plain, text_of


class Shell:
    """Turns typed lines into Slack requests for the real Bolt app and prints what comes back."""

    def __init__(
        self, app: App, fake: FakeSlack, *, user: str = DEFAULT_USER, database: str = ""
    ) -> None:
        self.app, self.fake, self.user = app, fake, user
        self.database = database  # which database, as a person would look for it
        self._n = itertools.count(1)
        # Slack's trigger ids are unique: one shell's must not repeat an earlier shell's.
        self._session = uuid.uuid4().hex[:12]

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
        fields = requests.command(
            text,
            user=self.user,
            channel=CHANNEL,
            response_url=self.fake.response_url(str(n)),
            trigger_id=f"shell.{self._session}.{n}",
            team_id=TEAM_ID,
            app_id=APP_ID,
        )
        self._dispatch(requests.form(fields), requests.FORM)

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
                    label = text_of(e.get("text")).rstrip("…").lower()
                    candidates.append((s, b, e, label))
        for cut in range(len(words), 0, -1):
            label, ref = " ".join(words[:cut]).lower().rstrip("…"), " ".join(words[cut:])
            for s, b, e, have in candidates:
                if have != label:
                    continue
                where = f"{b.get('block_id') or ''} {e.get('value') or ''}".lower()
                value = (e.get("value") or "").lower()
                if (
                    not ref
                    or ref.lower() in where.split("|")
                    or ref.lower() == value
                    # `R2.1` for a button carrying `NCPI:R2.1`
                    or (":" not in ref and value.endswith(":" + ref.lower()))
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
        action = requests.button(
            el["action_id"], el.get("value"), block_id=block.get("block_id") or ""
        )
        action["text"] = el.get("text")
        who = {"user": self.user, "team_id": TEAM_ID, "app_id": APP_ID}
        trigger = f"shell.{self._session}.{n}"
        if s.kind == "home":
            payload = requests.block_action(
                action, **who, trigger_id=trigger, home_view={"blocks": s.blocks}
            )
        else:
            if s.response_url is None and s.kind == "message":
                s.response_url = self.fake.response_url(str(n))
            message = {"type": "message", "ts": s.ts, "text": s.text, "blocks": s.blocks}
            payload = requests.block_action(
                action,
                **who,
                trigger_id=trigger,
                channel=s.channel,
                message=message,
                is_ephemeral=s.kind == "ephemeral",
                response_url=s.response_url or self.fake.response_url(str(n)),
            )
        self._dispatch(requests.interaction(payload), requests.FORM)

    def _submit(self, rest: str) -> None:
        if not self.fake.modals:
            self.fake.out("(no modal is open)")
            return
        view = self.fake.modals[-1]
        if not view.get("submit"):
            # Slack shows no submit button on such a dialog (a result, a note): only its
            # close button, which closes it without telling the app.
            close = text_of(view.get("close")) or "Close"
            self.fake.modals = self.fake.modals[:-1]
            self.fake.out(f"(this dialog has only [{close}]: closed it)")
            return
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
                    value = o["value"].lower()
                    if want and (
                        want.lower() in (value, text_of(o.get("text")).lower())
                        # `R2.1` for a choice carrying `NCPI:R2.1`
                        or (":" not in want and value.endswith(":" + want.lower()))
                    ):
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
        payload = requests.view_submission(
            view, values, user=self.user, team_id=TEAM_ID, app_id=APP_ID
        )
        answer = self._dispatch(requests.interaction(payload), requests.FORM)
        action = answer.get("response_action")
        if action == "errors":
            for bid, msg in (answer.get("errors") or {}).items():
                self.fake.out(f"(form error on {bid}) {plain(msg)}")
        elif action in ("push", "update"):
            self.fake.answer_form(action, answer["view"])
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
        ts = self.fake.add_message(dm, text, user=self.user, thread_ts=parent.ts)["ts"]
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
        body = requests.event_callback(
            event,
            team_id=TEAM_ID,
            app_id=APP_ID,
            event_id=f"Ev{next(self._n):08d}",
            event_time=int(time.time()),
        )
        self._dispatch(json.dumps(body), requests.JSON)
