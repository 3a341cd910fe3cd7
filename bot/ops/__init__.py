"""The operations `bot.operations.execute` runs, by subject; importing the package fills `OPS`."""

from bot.ops import actions, edits, meetings, paper, people

__all__ = ["actions", "edits", "meetings", "paper", "people"]
