"""The `/ncpi` grammar's words, for every front end: each command's forms (`USAGE`) and
aliases, the text as typed made plain, and the refusals that say how to write a command
(a ref, a date, a person, an inspection's code, a command that does not exist). A person is
written `@U123` (or the bare id), as the plain front end shows one; a chat platform's own
syntax (Slack's `<@U…>` mentions and `<https://…>` links) is turned into these words by its
front end before they reach here."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from models import service
from models.errors import SeveralInspections, UsageError
from models.parsing import Ref, example_day, parse_date, parse_ref, qualified, split_date
from models.people import USER_ID, plain

if TYPE_CHECKING:
    from conversation.ops.context import Deps

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
"""Each command's forms; `{day}` is an example date, a little ahead of today (`usage`)."""
PERSON = re.compile(rf"@?({USER_ID.pattern})")
INSPECTION_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{1,39}$")
REF_LIKE = re.compile(r"^(?:[Rr]|[Aa][Ff][Ii]|[Cc])?\d")


@dataclass
class Command:
    """One `/ncpi` invocation as the front end received it."""

    text: str
    actor: str
    channel: str | None = None
    trigger: str | None = None  # the platform's id for this very request: a replay carries it again

    @property
    def words(self) -> list[str]:
        return self.text.split()


def usage(name: str, today: date) -> str:
    """The command's forms, its dates computed from today (never a year gone by)."""
    forms = USAGE[name].replace("{day}", f"{example_day(today):%d/%m/%Y}")
    return " or ".join(f"`/ncpi {u}`" for u in forms.split(" · "))


class Refusal(UsageError):
    """A refusal that ends with the command's usage: `run` adds it, dated from today."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def how(name: str, message: str) -> UsageError:
    return Refusal(name, message)


def leading_ref(name: str, rest: str, *, want: str) -> tuple[str, str]:
    """The leading ref of `rest` (checked) and what follows."""
    word, _, tail = rest.partition(" ")
    if not word:
        what = {"action": "action", "recommendation": "recommendation"}.get(
            want, "action or recommendation"
        )
        raise how(name, f"Say which {what}.")
    try:
        ref = parse_ref(word, want=want)
    except UsageError as e:
        raise how(name, e.message) from None
    return written(ref), tail.strip()


def written(ref: Ref) -> str:
    """The ref as the service reads it, keeping a named inspection (`NCPI:R2.1`)."""
    return qualified(ref, ref.inspection.upper() if ref.inspection else None)


def read_person(word: str) -> str:
    """`@U123` (or `U123`) → "U123"; anything else is refused with how to name someone."""
    word = word.strip()
    m = PERSON.fullmatch(word)
    if not m:
        raise UsageError(f"`{word}` is not a person. Mention them with @, e.g. owner:@jane.smith.")
    return m.group(1)


def person_of(name: str, word: str) -> str:
    """The person `word` names, or refused with an example of the command."""
    try:
        return read_person(word)
    except UsageError as e:
        raise how(name, e.message) from None


def is_code(word: str) -> bool:
    """Whether `word` is written like an inspection's code (`NCPI`, `NCPI-WX`), not a ref."""
    return bool(INSPECTION_CODE.match(word)) and not REF_LIKE.match(word)


def inspection_first(deps: Deps, rest: str) -> tuple[str | None, str]:
    """`NCPI-WX 22/01/2027` → ("NCPI-WX", "22/01/2027"): a leading word that names a tracked
    inspection, as stored, and what follows; otherwise (None, rest)."""
    word, _, tail = rest.partition(" ")
    if is_code(word):
        with deps.db.read() as session:
            code = service.inspection_code(session, word)
        if code:
            return code, tail.strip()
    return None, rest


def day_of(name: str, text: str, today: date) -> date:
    """`text` as a date, or refused with an example of the command."""
    try:
        return parse_date(text, today=today)
    except UsageError as e:
        raise _date_refused(name, e, today) from None


def day_then(name: str, text: str, today: date) -> tuple[date, str]:
    """A date and the text after it (a reason), or refused with an example of the command."""
    try:
        return split_date(text, today=today)
    except UsageError as e:
        raise _date_refused(name, e, today) from None


def _date_refused(name: str, e: UsageError, today: date) -> UsageError:
    # The message echoes what was typed: it is escaped where errors are shown.
    return UsageError(f"{e.message} For example {usage(name, today)}.")


ALIASES = {
    "sign-off": "signoff",
    "sign_off": "signoff",
    "?": "help",
    "status": "summary",
    "me": "mine",
    "milestones": "milestone",
}


def normalise(text: str) -> str:
    text = " ".join(plain(text or "").split())
    if text.lower().startswith("/ncpi"):
        text = text[5:].strip()
    return text


def say_which(e: SeveralInspections, name: str, rest: str) -> str:
    """No inspection named while several are tracked: the command again, with each code."""
    word, _, tail = rest.partition(" ")
    try:
        ref = parse_ref(word)
    except UsageError:
        ref = None

    def again(code: str) -> str:
        if ref is not None and ref.inspection is None:  # `show R2.1` → `show NCPI:R2.1`
            return " ".join(["/ncpi", name, qualified(ref, code), tail[:60]]).strip()
        return " ".join(["/ncpi", name, code, rest[:60]]).strip()  # `panel NCPI add …`

    examples = " or ".join(f"`{again(c)}`" for c in e.codes[:4])
    return f"Several inspections are tracked ({', '.join(e.codes)}); say which: {examples}."


def unknown_message(name: str, today: date) -> str:
    # 0.7: a slip of the fingers (`updte`, `mien`, `hlep`) is matched; another word is not
    close = difflib.get_close_matches(name, list(USAGE), n=1, cutoff=0.7)
    shown = name[:40]
    if close:
        first = usage(close[0], today).split(" or ")[0]
        return (
            f"`{shown}` is not an /ncpi command. Did you mean {first}? `/ncpi help` lists them all."
        )
    return f"`{shown}` is not an /ncpi command. `/ncpi help` lists them all, with examples."
