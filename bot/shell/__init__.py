"""`ncpi-bot shell`: the same Bolt app, driven from a terminal with no Slack and no token.

An adapter, not a second bot: each typed line becomes the request Slack would send (a slash
command, a button press, a modal submission, an event; `requests`) and goes through
`app.dispatch` (`session`); everything the app sends back (`respond()`, Web API calls) lands
in an in-process stand-in for Slack on loopback (`fake_slack`) and is printed as readable
text (`render`). `start` opens it on the configured database. Anything tried here can
become a test.

Lines:
    /ncpi summary   (or just: summary)     a slash command
    click On track R2.1                    press a button (label, then the action or value)
    click Post to channel                  ... the ref can be left out when only one matches
    submit status="at risk" note="waiting on IT"   submit the open modal (field=value)
    cancel                                 close the open modal
    reply Waiting on the IT change         reply in the thread of the latest DM about actions
    home                                   open the App Home tab
    as U0DIMISS01                          act as someone else
    quit
"""

from bot.shell.fake_slack import DEFAULT_USER, SHELL_TOKEN, FakeSlack, Surface
from bot.shell.render import render_blocks
from bot.shell.session import Shell
from bot.shell.start import ensure_sample, main_loop, open_shell

__all__ = [
    "SHELL_TOKEN",
    "DEFAULT_USER",
    "FakeSlack",
    "Shell",
    "Surface",
    "ensure_sample",
    "main_loop",
    "open_shell",
    "render_blocks",
]
