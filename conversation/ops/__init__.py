"""The operations `conversation.run.execute` runs, by subject; importing the package fills `OPS`."""

from conversation.ops import actions, edits, meetings, paper, people

__all__ = ["actions", "edits", "meetings", "paper", "people"]
