"""The commands a lead corrects the tracker with: withdraw, reinstate, rename, edit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conversation.commands import change, command
from conversation.grammar import Command, how, leading_ref
from conversation.outcomes import Outcome

if TYPE_CHECKING:
    from conversation.ops.context import Deps

REC_PARTS = ("title", "text")


@command("withdraw")
def withdraw(deps: Deps, cmd: Command, rest: str) -> Outcome:
    ref, reason = leading_ref("withdraw", rest, want="action")
    if not reason:
        raise how(
            "withdraw",
            f"Say why {ref} is withdrawn: the reason is kept in its history and told to its owner.",
        )
    return change(deps, cmd, "withdraw", ref=ref, reason=reason)


@command("reinstate")
def reinstate(deps: Deps, cmd: Command, rest: str) -> Outcome:
    ref, note = leading_ref("reinstate", rest, want="action")
    return change(deps, cmd, "reinstate", ref=ref, note=note or None)


@command("rename")
def rename(deps: Deps, cmd: Command, rest: str) -> Outcome:
    ref, title = leading_ref("rename", rest, want="action")
    if not title:
        raise how("rename", f"Give {ref}'s new title.")
    return change(deps, cmd, "rename", ref=ref, title=title)


@command("edit")
def edit(deps: Deps, cmd: Command, rest: str) -> Outcome:
    rec, tail = leading_ref("edit", rest, want="recommendation")
    part, _, value = tail.partition(" ")
    if part.lower() not in REC_PARTS:
        said = f"`{part[:40]}` is not something to edit. " if part else ""
        raise how("edit", f"{said}Say `title` or `text`, then the new wording.")
    if not value.strip():
        raise how("edit", f"Give {rec}'s new {part.lower()}.")
    return change(deps, cmd, "edit_rec", rec=rec, part=part.lower(), value=value.strip())
