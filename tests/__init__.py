"""The tests, arranged like the behaviour: `domain/` (the tracker, its rules, import and
export), `paper/` (the drafted panel paper and the s.55 response), `conversation/` (the
`/ncpi` grammar and its answers), `slack/` (the Bolt app, views, the shell, the stand-in),
`reminders/` (planning and delivery), `e2e/` (the real `ncpi-bot serve`, `socket` and CLI as
processes). What they share lives here: fixtures (conftest.py), row factories
(factories.py), the Slack stand-in (slack_standin.py), request builders
(slack_requests.py) and the server harness (e2e_server.py)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the repository
