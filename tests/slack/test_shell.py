"""`ncpi-bot shell` reads a script from stdin and drives the real app with no Slack."""

from __future__ import annotations

import os
import subprocess
import sys

from tests import ROOT

SCRIPT = """\
help
/ncpi summary
show R2.1
click On track R2.1
as U0DIMISS01
mine
click On track R2.2
update R2.2 blocked call 07700 900123
click Keep as written
as U0SAFELEAD
assign R9.1 <@U0DIMISS01>
as U0DIMISS01
click Accept R9.1
reply Meeting the CAID lead on Friday
home
sumary
"""


def test_shell_runs_a_scripted_session(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shell.db'}",
        "NCPI_CLOCK": "2026-11-25T10:00:00Z",
    }
    env.pop("SLACK_BOT_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--env-file", str(tmp_path / "none.env"), "shell"],
        input=SCRIPT,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=90,
    )
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "> help" in out and "the inspection action tracker" in out
    assert (
        "6 of 10 recommendations signed off" in out
        and "[Post to channel] [Draft panel paper]" in out
    )
    assert "R2.1 — on track, recorded 10:00 by you" in out
    assert "Your open actions (1)" in out and "R2.2 — on track, recorded 10:00 by you" in out
    assert "phone number" in out and "R2.2 — blocked, note added" in out
    assert "DM to @U0DIMISS01" in out and "R9.1 — accepted" in out
    assert "(reacted :white_check_mark: to your message)" in out
    assert "App Home" in out and "Your open actions (2)" in out
    assert "Did you mean `/ncpi summary`?" in out
    assert "Traceback" not in out + done.stderr
