"""A sentence as the conversation writes it, before any platform's markup: plain words and
a few marked parts. Each front end renders the parts its own way (Slack: `*bold*`, `<@U…>`,
“escaped”; plain text: the words alone), and escapes the words it is given.

A `Said` is a tuple of parts; plain `str` parts are words, user text included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Strong:
    """Words to stand out: a ref, a date, a section's name."""

    text: str


@dataclass(frozen=True)
class Person:
    """Someone, by id; the front end renders the mention (or the name, for an id that is
    not a chat user's). No id: nobody yet."""

    id: str | None
    name: str | None = None


@dataclass(frozen=True)
class Code:
    """A command to type, shown as code: `/ncpi reinstate R2.1`."""

    text: str


@dataclass(frozen=True)
class Quote:
    """Someone's words quoted on a line of their own (what follows continues that line)."""

    text: str


Part = Union[str, Strong, Person, Code, Quote]  # noqa: UP007 - a runtime alias
Said = tuple[Part, ...]


def said(*parts: Part | Said | None) -> Said:
    """Parts (and whole sentences) joined into one sentence; None and "" are left out."""
    out: list[Part] = []
    for p in parts:
        if p is None or p == "":
            continue
        if isinstance(p, tuple):
            out.extend(p)
        else:
            out.append(p)
    return tuple(out)


def words(s: Said) -> str:
    """The sentence as bare words: people as their ids, no markup (logs, fallbacks, tests)."""
    return "".join(_word(p) for p in s)


def _word(p: Part) -> str:
    if isinstance(p, str):
        return p
    if isinstance(p, Person):
        return p.id or "nobody yet"
    if isinstance(p, Quote):
        return f"\n> {p.text}"
    return p.text


# Stored form (a receipt keeps the first answer): words as strings, parts as small objects.
def to_data(s: Said | None) -> list | None:
    if s is None:
        return None
    out: list = []
    for p in s:
        if isinstance(p, str):
            out.append(p)
        elif isinstance(p, Strong):
            out.append({"b": p.text})
        elif isinstance(p, Code):
            out.append({"c": p.text})
        elif isinstance(p, Quote):
            out.append({"q": p.text})
        else:
            out.append({"p": p.id, "n": p.name})
    return out


def from_data(data: list | None) -> Said | None:
    if data is None:
        return None
    out: list[Part] = []
    for p in data:
        if isinstance(p, str):
            out.append(p)
        elif "b" in p:
            out.append(Strong(p["b"]))
        elif "c" in p:
            out.append(Code(p["c"]))
        elif "q" in p:
            out.append(Quote(p["q"]))
        else:
            out.append(Person(p.get("p"), p.get("n")))
    return tuple(out)
