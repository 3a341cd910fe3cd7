"""The conversation no chat platform owns: the operations a person asks for, each one
transaction, and the outcomes they answer with (what happened, whom to tell, what to offer
next), in words written once (`wording`) with people as ids. Each front end renders an
outcome its own way: Slack's Block Kit in `bot/render.py`, plain text in `plain`.

Imports `models` only: never a chat platform's library, never `bot`.
"""
