"""Requests already answered: a repeat gets the first answer back, a change is never swallowed.

Two things look like "the same request again", and they are told apart by what the chat
platform and the tracker give us, never by the text alone:

- a **replay**: the very request again (the platform's id for it: a client retry, a
  replayed signed body). It gets the first answer back whenever it comes, for as long as
  receipts are kept.
- a **double submit**: the same person sending the same command twice within two minutes
  (two presses of Enter, a retry after a timeout). It gets the first answer back only
  if the tracker still stands where that answer left it. The key carries the tracker's
  state (the newest history row's id; every change writes history), so `on track`,
  `at risk`, `on track` within a minute is three changes, not two.

A receipt is claimed before the change runs, in the same transaction: a concurrent twin
waits on the key, then fails on it and is given the first answer (see `run.execute`).
The answer is kept as the outcome (`Done.to_data`), so each front end renders it again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from conversation.outcomes import Done
from models.tables import Receipt, Update

DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)
# Receipts outlive the double-submit window, the platform's retries and its five-minute
# signature window by far.
RECEIPT_KEEP = timedelta(days=2)
KEY_PART = 60  # longest piece of a key kept as given; longer pieces are hashed


def _part(value: object) -> str:
    text = str(value or "")
    if len(text) <= KEY_PART:
        return text
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def repeat_key(kind: str, actor: str, *what: object) -> str:
    """Who asked for what (the command's text, the button and its value, the form and what
    was filled in): the same again within two minutes, with the tracker unchanged, is a
    double submit."""
    digest = hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()
    return f"{kind}:{_part(actor)}:{digest[:40]}"


def replay_key(kind: str, *ids: object) -> str | None:
    """The request itself, by the ids the platform gives it (a command's trigger; a click's
    action_ts and message; a form's view id and hash; a message's channel and ts)."""
    if not all(ids):
        return None
    return f"{kind}:" + ":".join(_part(i) for i in ids)


def tracker_state(session: Session) -> int:
    """The newest history row: it moves on with every change the tracker records."""
    return session.exec(select(func.max(Update.id))).one() or 0


def _answer(result: str) -> Done:
    return Done.from_data(json.loads(result))


@dataclass
class Receipts:
    """The receipts of one request: `replay` names the request itself (see `replay_key`),
    `repeat` what it asks for (see `repeat_key`); either may be None."""

    session: Session
    actor: str
    now: datetime
    repeat: str | None = None
    replay: str | None = None
    _claimed: list[Receipt] = field(default_factory=list)
    _state: int = 0

    def earlier(self) -> Done | None:
        """The first answer, if this request was answered before and may have it again."""
        self._state = tracker_state(self.session)
        if self.replay:
            seen = self.session.get(Receipt, self.replay)
            if seen is not None and seen.result:
                return _answer(seen.result)
        if self.repeat:
            seen = self.session.get(Receipt, self._at(self._state))
            if seen is not None and seen.result and seen.at >= self.now - DOUBLE_SUBMIT_WINDOW:
                return _answer(seen.result)
        return None

    def claim(self) -> None:
        """Hold the keys before the change runs: a concurrent twin waits here, then fails."""
        keys = [k for k in (self.replay, self.repeat and self._at(self._state)) if k]
        if not keys:
            return
        self.session.exec(delete(Receipt).where(col(Receipt.at) < self.now - RECEIPT_KEEP))
        for key in keys:
            receipt = self.session.get(Receipt, key)
            if receipt is None:
                receipt = Receipt(key=key, actor=self.actor, at=self.now)
                self.session.add(receipt)
            receipt.at, receipt.result = self.now, None
            self._claimed.append(receipt)
        self.session.flush()

    def keep(self, done: Done) -> None:
        """Store the answer under the claimed keys and under the state the change left, so a
        double submit arriving after it finds it."""
        result = json.dumps(done.to_data(), separators=(",", ":"), ensure_ascii=False)
        for receipt in self._claimed:
            receipt.result = result
        if self.repeat:
            self.session.flush()
            after = tracker_state(self.session)
            if after != self._state:
                self.session.merge(
                    Receipt(key=self._at(after), actor=self.actor, at=self.now, result=result)
                )

    def first_answer(self, session: Session) -> Done | None:
        """After losing the race for a key (read in a new session): the winner's answer."""
        for key in (self.replay, self.repeat and self._at(self._state)):
            if key:
                seen = session.get(Receipt, key)
                if seen is not None and seen.result:
                    return _answer(seen.result)
        return None

    def _at(self, state: int) -> str:
        return f"{self.repeat}@{state}"
