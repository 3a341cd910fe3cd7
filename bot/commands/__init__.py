"""What of the `/ncpi` commands is Slack's: its syntax for a person and a link (`common`),
the two commands that name a person (`changing`: add, assign), and an action or someone's
actions drawn again after a click (`reading`). Every other command is the conversation's
(conversation/commands/); `bot.router` dispatches to both."""
