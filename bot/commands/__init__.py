"""What of the `/ncpi` commands is Slack's: its syntax for a person and a link, turned into
the conversation's words before a command is dispatched (`common`), and an action or
someone's actions drawn again after a click (`reading`). Every command is the
conversation's (conversation/commands/); `bot.router` dispatches to it."""
