"""The `/ncpi` command handlers, by subject; `bot.router` dispatches to them."""
