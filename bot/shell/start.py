"""Start-up for `ncpi-bot shell`: the app on the configured database, and the prompt loop.

Kept small on purpose: building settings → database → clock → deps is the wiring's job."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import TextIO

from bot.app import create_app
from bot.deps import Deps
from bot.shell.fake_slack import DEFAULT_USER, FakeSlack
from bot.shell.session import Shell
from bot.wiring import apply_leads, make_clock, open_database
from models.clock import Clock
from models.db import Database, describe_url
from models.settings import Settings


def open_shell(settings: Settings, *, user: str = DEFAULT_USER) -> tuple[Shell, FakeSlack]:
    """The app on the configured database (created, and the sample loaded, if empty). A file
    the app would upload to Slack (the panel paper) is written to the working folder."""
    fake = FakeSlack(user=user, files_dir=Path.cwd())
    settings = dataclasses.replace(settings, slack_api_url=fake.api_url, slack_bot_token=fake.token)
    clock = make_clock(settings)
    db = open_database(settings)
    if ensure_sample(db, clock, settings):
        apply_leads(db, settings)
    app = create_app(
        Deps(settings=settings, db=db, clock=clock),
        verify_requests=False,
        process_before_response=True,
    )
    return Shell(app, fake, user=user, database=describe_url(settings.database_url)), fake


def ensure_sample(db: Database, clock: Clock, settings: Settings) -> bool:
    """An empty tracker gets the sample, so the shell always has something to show (its
    leads are NCPI_LEADS, applied after by the wiring's `apply_leads`)."""
    from models.sample import load_sample_if_empty

    with db.write() as session:
        return load_sample_if_empty(session, now=clock.now(), today=clock.today(), tz=settings.tz)


def main_loop(
    shell: Shell, *, interactive: bool, out: TextIO = sys.stdout, err: TextIO | None = None
) -> None:
    """The prompt (or a script from stdin). Which database it is on is said first: in the
    greeting at a prompt, on stderr for a script (its stdout stays the transcript)."""
    if interactive:
        try:
            import readline  # noqa: F401 - line editing and history at the prompt
        except ImportError:
            pass
        print(
            f"ncpi shell on the database {shell.database}, acting as {shell.user}.\n"
            "Type `help` for the /ncpi commands, `click <button> <ref>` to press a button, "
            "`quit` to leave.",
            file=out,
        )
    elif shell.database:
        print(f"ncpi shell on the database {shell.database}", file=err or sys.stderr)
    while True:
        try:
            line = input("ncpi> " if interactive else "")
        except EOFError:
            if interactive:
                print(file=out)  # Ctrl-D: end the prompt's line before the terminal's next
            break
        if line.strip().lower() in ("quit", "exit"):
            break
        if not interactive and line.strip():
            print(f"> {line.strip()}", file=out)
        shown = shell.run(line)
        if shown:
            print(shown + "\n", file=out, flush=True)
