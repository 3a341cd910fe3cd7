"""What every `/ncpi` command shares: the command as received, each command's forms,
reading a ref or a date (refused with the command's usage), and running a change."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot import operations
from bot.reply import Reply
from conversation.receipts import repeat_key, replay_key
from models import service
from models.errors import UsageError
from models.parsing import Ref, example_day, parse_date, parse_ref, qualified, split_date
from models.people import USER_ID
from models.tables import Source

if TYPE_CHECKING:
    from bot.deps import Deps


USAGE = {
    "help": "help",
    "summary": "summary · summary R2 · summary NCPI · summary post",
    "mine": "mine",
    "show": "show R2.1 · show R2",
    "history": "history R2.1 · history NCPI:R2.1",
    "update": "update R2.1 at risk waiting on IT · update R2.1 met the product owner",
    "note": "note R2.1 met the Athena product owner",
    "done": "done R2.1 https://link.to/evidence",
    "verify": "verify R2.1",
    "return": "return R2.1 evidence does not cover nights",
    "away": "away until 2 January",
    "back": "back",
    "add": "add R2 Train CCR staff owner:@jane due:{day}",
    "assign": "assign R2.1 @jane",
    "due": "due R2.1 {day} partners asked for more time",
    "signoff": "signoff R2 agreed at panel",
    "reopen": "reopen R2",
    "panel": "panel · panel NCPI · panel add {day} 10:00 AP26/04 · panel remove {day}",
    "report": "report · report {day} · report NCPI · report response",
    "milestone": "milestone · milestone plan {day} HMICFRS agreed a week more",
    "withdraw": "withdraw R2.1 superseded by the MASH review",
    "reinstate": "reinstate R2.1",
    "rename": "rename R2.1 Train all CCR staff",
    "edit": "edit R2 title Missing children · edit R2 text The force should …",
    "findings": "findings R2 · findings R2 Return interviews have improved · "
    "findings R2 improvement Overnight supervision is still delayed",
    "paper": "paper · paper financial No additional funding is needed · paper NCPI",
    "review": "review · review {day} · review R2",
}
"""Each command's forms; `{day}` is an example date, a little ahead of today (`_usage`)."""
INSPECTION_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{1,39}$")
REF_LIKE = re.compile(r"^(?:[Rr]|[Aa][Ff][Ii]|[Cc])?\d")


@dataclass
class Command:
    """One `/ncpi` invocation as the listener received it."""

    text: str
    actor: str
    channel: str | None = None
    trigger: str | None = None  # Slack's id for this very request: a replay carries it again

    @property
    def words(self) -> list[str]:
        return self.text.split()


def _usage(name: str, today: date) -> str:
    """The command's forms, its dates computed from today (never a year gone by)."""
    forms = USAGE[name].replace("{day}", f"{example_day(today):%d/%m/%Y}")
    return " or ".join(f"`/ncpi {u}`" for u in forms.split(" · "))


class _Usage(UsageError):
    """A refusal that ends with the command's usage: `run` adds it, dated from today."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def _how(name: str, message: str) -> UsageError:
    return _Usage(name, message)


def _ref(name: str, rest: str, *, want: str) -> tuple[str, str]:
    """The leading ref of `rest` (checked) and what follows."""
    word, _, tail = rest.partition(" ")
    if not word:
        what = {"action": "action", "recommendation": "recommendation"}.get(
            want, "action or recommendation"
        )
        raise _how(name, f"Say which {what}.")
    try:
        ref = parse_ref(word, want=want)
    except UsageError as e:
        raise _how(name, e.message) from None
    return _written(ref), tail.strip()


def _written(ref: Ref) -> str:
    """The ref as the service reads it, keeping a named inspection (`NCPI:R2.1`)."""
    return qualified(ref, ref.inspection.upper() if ref.inspection else None)


def _is_code(word: str) -> bool:
    """Whether `word` is written like an inspection's code (`NCPI`, `NCPI-WX`), not a ref."""
    return bool(INSPECTION_CODE.match(word)) and not REF_LIKE.match(word)


def _inspection_first(deps: Deps, rest: str) -> tuple[str | None, str]:
    """`NCPI-WX 22/01/2027` → ("NCPI-WX", "22/01/2027"): a leading word that names a tracked
    inspection, as stored, and what follows; otherwise (None, rest)."""
    word, _, tail = rest.partition(" ")
    if _is_code(word):
        with deps.db.read() as session:
            code = service.inspection_code(session, word)
        if code:
            return code, tail.strip()
    return None, rest


def _date(name: str, text: str, today: date) -> date:
    """`text` as a date, or refused with an example of the command."""
    try:
        return parse_date(text, today=today)
    except UsageError as e:
        raise _date_refused(name, e, today) from None


def _date_then(name: str, text: str, today: date) -> tuple[date, str]:
    """A date and the text after it (a reason), or refused with an example of the command."""
    try:
        return split_date(text, today=today)
    except UsageError as e:
        raise _date_refused(name, e, today) from None


def _date_refused(name: str, e: UsageError, today: date) -> UsageError:
    # The message echoes what was typed: it is escaped where errors are shown.
    return UsageError(f"{e.message} For example {_usage(name, today)}.")


# A person as Slack writes them in a command: `<@U123|name>` or `<@U123>` (escaped
# mentions), or typed as the bare id, with or without its @.
MENTION = re.compile(rf"^<@({USER_ID.pattern})(?:\|[^>]*)?>$")
BARE_USER = re.compile(rf"^@?({USER_ID.pattern})$")


def parse_user(text: str) -> str:
    """A person written in a command → their user id."""
    text = text.strip()
    m = MENTION.match(text) or BARE_USER.match(text)
    if not m:
        raise UsageError(f"`{text}` is not a person. Mention them with @, e.g. owner:@jane.smith.")
    return m.group(1)


SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")
FREE_TEXT = ("note", "evidence", "reason", "title", "value")


def unwrap_links(text: str) -> str:
    """Slack sends a typed link as `<https://…>` (or `<https://…|label>`): keep the URL, so
    it is stored as written and shows as a link again when escaped into a message."""
    return SLACK_LINK.sub(r"\1", text)


def _change(deps: Deps, cmd: Command, op: str, **args: object) -> Reply:
    for name in FREE_TEXT:
        if isinstance(args.get(name), str):
            args[name] = unwrap_links(args[name])
    return operations.execute(
        deps,
        actor=cmd.actor,
        op=op,
        args=args,
        source=Source.COMMAND,
        repeat=repeat_key("cmd", cmd.actor, " ".join(cmd.text.lower().split())),
        replay=replay_key("req", cmd.trigger),
    )
