"""The front ends' start-up and health, without a running server: the ASGI app driven
in-process, and the CLI run as an operator would (`python -m bot ...`)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.app import Deps, create_app
from bot.manifest import load_manifest
from bot.server import build_asgi, start_background
from models.clock import Clock
from models.db import Database
from models.settings import load_settings
from tests.conftest import TZ
from tests.e2e_server import run_cli, server_env, start_server
from tests.slack_standin import SlackStandIn

DEAD_PG = "postgresql+psycopg://postgres:hunter2@127.0.0.1:9/ncpi"


def call_asgi(asgi, method: str, path: str) -> tuple[int, bytes]:
    """One HTTP request through an ASGI app, in-process."""
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": b"",
        "headers": [],
    }
    asyncio.run(asgi(scope, receive, send))
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def asgi_for(database_url: str, standin: SlackStandIn):
    settings = load_settings(
        {**standin.env(), "SLACK_SIGNING_SECRET": "s", "DATABASE_URL": database_url}
    )
    db = Database(settings.database_url)
    return build_asgi(create_app(Deps(settings=settings, db=db, clock=Clock(TZ))), db), db


def test_healthz_is_503_when_the_database_is_unreachable(slack_standin: SlackStandIn) -> None:
    asgi, db = asgi_for(DEAD_PG, slack_standin)
    assert call_asgi(asgi, "GET", "/healthz") == (503, b"database unavailable\n")
    db.dispose()


def test_healthz_is_200_when_the_database_answers(db_url: str, slack_standin: SlackStandIn) -> None:
    asgi, db = asgi_for(db_url, slack_standin)
    assert call_asgi(asgi, "GET", "/healthz") == (200, b"ok\n")
    assert call_asgi(asgi, "HEAD", "/healthz") == (200, b"")
    db.dispose()


def test_the_real_server_answers_503_when_its_database_goes_away(
    slack_standin: SlackStandIn, tmp_path: Path
) -> None:
    import uuid

    import psycopg

    from tests.conftest import PG_ADMIN, _pg_admin_conn

    try:
        admin = _pg_admin_conn()
    except psycopg.OperationalError as e:
        pytest.skip(f"PostgreSQL not reachable: {e}")
    name = f"ncpi_gone_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + "/" + name
    server = start_server(url, slack_standin, tmp_path / "serve.log", load_sample=False)
    try:
        assert server.health().status == 200
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        assert (server.health().status, server.health().body) == (503, "database unavailable\n")
        assert server.proc.poll() is None  # still serving, for when the database is back
    finally:
        server.stop()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


# -- start-up: each failure is one clear line ------------------------------------------------


def one_line(stderr: str) -> str:
    """The one error line (log lines before it are fine; a traceback is not)."""
    errors = [line for line in stderr.splitlines() if line.startswith("ncpi-bot:")]
    assert len(errors) == 1 and "Traceback" not in stderr, stderr
    assert stderr.strip().splitlines()[-1] == errors[0], stderr
    return errors[0]


@pytest.mark.parametrize("missing", ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"])
def test_serve_names_a_missing_setting(
    slack_standin: SlackStandIn, tmp_path: Path, missing: str
) -> None:
    env = server_env(f"sqlite:///{tmp_path / 'ncpi.db'}", slack_standin, **{missing: ""})
    done = run_cli("serve", "--port", "9", env=env)
    assert done.returncode == 2
    assert one_line(done.stderr) == (
        f"ncpi-bot: {missing} is not set: add it to the environment or .env"
    )


def test_socket_refuses_to_start_without_an_app_token(
    slack_standin: SlackStandIn, tmp_path: Path
) -> None:
    env = server_env(f"sqlite:///{tmp_path / 'ncpi.db'}", slack_standin)
    done = run_cli("socket", env=env)
    assert done.returncode == 2
    assert one_line(done.stderr) == (
        "ncpi-bot: SLACK_APP_TOKEN is not set: add it to the environment or .env"
    )


def test_serve_names_an_unreachable_database_without_its_password(
    slack_standin: SlackStandIn,
) -> None:
    done = run_cli("serve", "--port", "9", env=server_env(DEAD_PG, slack_standin))
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert "postgresql+psycopg://postgres:***@127.0.0.1:9/ncpi" in line
    assert "hunter2" not in done.stderr


def test_serve_names_an_out_of_date_schema(slack_standin: SlackStandIn, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db = Database(url)
    db.upgrade()
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000_older'"))
    db.dispose()
    done = run_cli("serve", "--port", "9", env=server_env(url, slack_standin))
    assert done.returncode == 1
    assert "run `ncpi-bot db upgrade`" in one_line(done.stderr)


def test_serve_stops_when_slack_refuses_the_token(
    slack_standin: SlackStandIn, tmp_path: Path
) -> None:
    env = server_env(f"sqlite:///{tmp_path / 'ncpi.db'}", slack_standin)
    env["SLACK_BOT_TOKEN"] = "xoxb-revoked-token"
    done = run_cli("serve", "--port", "9", env=env)
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert "Slack refused SLACK_BOT_TOKEN (invalid_auth)" in line
    assert "xoxb-revoked-token" not in done.stderr
    assert (tmp_path / "ncpi.db").exists()  # the fresh database was created first


# -- the manifest -------------------------------------------------------------------------------


def test_manifest_is_what_the_bot_needs() -> None:
    m = load_manifest()
    (command,) = m["features"]["slash_commands"]
    assert command["command"] == "/ncpi" and command["should_escape"] is True
    assert command["url"] == "https://YOUR-HOST/slack/events"
    settings = m["settings"]
    assert settings["event_subscriptions"]["bot_events"] == ["app_home_opened", "message.im"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is False
    assert m["features"]["app_home"]["messages_tab_enabled"] is True
    scopes = set(m["oauth_config"]["scopes"]["bot"])
    # commands; chat.postMessage/update/postEphemeral; conversations.open; message.im and
    # conversations.history on DMs and the digest channel (reminders' crash recovery);
    # reactions.add; users.info, bots.info; lookupByEmail;
    # files_upload_v2.
    assert scopes == {
        "commands",
        "chat:write",
        "im:write",
        "im:history",
        "channels:history",
        "reactions:write",
        "users:read",
        "users:read.email",
        "files:write",
    }


def test_manifest_command_prints_it_for_http_or_socket_mode(slack_standin: SlackStandIn) -> None:
    env = server_env("sqlite:///unused.db", slack_standin)
    http = json.loads(
        run_cli("manifest", "--url", "https://ncpi.example.police.uk/", env=env).stdout
    )
    assert http["settings"]["interactivity"]["request_url"] == (
        "https://ncpi.example.police.uk/slack/events"
    )
    socket = json.loads(run_cli("manifest", "--socket", env=env).stdout)
    assert socket["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in socket["settings"]["interactivity"]
    assert "url" not in socket["features"]["slash_commands"][0]


def test_the_reminder_scheduler_starts_beside_a_front_end_and_stops(
    db_url: str, slack_standin: SlackStandIn
) -> None:
    settings = load_settings({**slack_standin.env(), "DATABASE_URL": db_url})
    deps = Deps(settings=settings, db=Database(db_url), clock=Clock(TZ))
    app = create_app(deps, verify_requests=False)
    stop = start_background(deps, app.client)
    stop()
    deps.db.dispose()
