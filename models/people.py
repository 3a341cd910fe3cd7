"""How the domain speaks of a person: by id, never in a chat platform's markup.

A person's id is the chat workspace's user id (`U012AB3CD`); `USER_ID` is its one pattern,
used by settings, the workbook and every front end. A domain sentence that names someone
(an error, a reason) holds `person(id)`, a token each front end renders its own way with
`people()`: Slack as a mention, the CLI as the bare id, another platform as its own card.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Ids are one letter (U, or W for an Enterprise Grid user) then capitals and digits, at
# least one digit ("WED" or "UPDATE" is a word, not a person), 32 characters at most.
USER_ID = re.compile(r"[UW](?=[A-Z]*\d)[A-Z0-9]{1,31}")

# Private-use characters around the id: nothing a person types or a file holds carries
# them once `plain()` has been applied to what came in.
_OPEN, _CLOSE = "\ue000", "\ue001"
_TOKEN = re.compile(f"{_OPEN}({USER_ID.pattern}){_CLOSE}")


def is_user_id(text: str | None) -> bool:
    """`is_user_id("U012AB3CD")` → True; a word, an email or None → False."""
    return bool(text) and USER_ID.fullmatch(text) is not None


def person(user_id: str | None, *, nobody: str = "nobody yet") -> str:
    """A person in a domain sentence, for the front end to render (`people`)."""
    return f"{_OPEN}{user_id}{_CLOSE}" if user_id else nobody


def people(text: str, render: Callable[[str], str]) -> str:
    """Each `person()` token in `text` rendered by the front end's `render(user_id)`."""
    return _TOKEN.sub(lambda m: render(m.group(1)), text)


def plain(text: str) -> str:
    """Text that came in from a person or a file, with any look-alike tokens taken out, so
    nobody can make the bot render a mention by typing one."""
    return text.replace(_OPEN, "").replace(_CLOSE, "")
