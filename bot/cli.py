"""`ncpi-bot`: the command line. Settings come from the environment and `.env`."""

from __future__ import annotations

import logging
import sys

import click

from bot.cli_context import Context, pass_ctx
from bot.reminders_cli import reminders
from bot.wiring import apply_leads, settings_from
from models.db import Database
from models.errors import ConfigError, NcpiError
from models.people import people


class Cli(click.Group):
    """Turns domain and configuration errors into one clear line and exit status 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ConfigError as e:
            click.echo(f"ncpi-bot: {e.message}", err=True)
            sys.exit(2)
        except NcpiError as e:
            click.echo(f"ncpi-bot: {people(e.message, str)}", err=True)
            sys.exit(1)


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--env-file", default=".env", show_default=True, help="Settings file to read.")
@click.pass_context
def cli(ctx: click.Context, env_file: str) -> None:
    """ncpi-bot: keeps an inspection action tracker honest, in Slack."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    ctx.obj = Context(settings_from(env_file))


@cli.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@pass_ctx
def db_upgrade(c: Context) -> None:
    """Bring the database schema up to this release."""
    database = Database(c.settings.database_url)
    database.upgrade()
    click.echo(f"database at schema revision {database.current_revision()}")


@cli.command("load-sample")
@pass_ctx
def load_sample_cmd(c: Context) -> None:
    """Load the sample tracker (Suffolk NCPI re-inspection, AP23/07). Safe to run twice."""
    from models.sample import load_sample

    with c.db.write() as session:
        loaded = load_sample(session, now=c.clock.now(), today=c.clock.today(), tz=c.settings.tz)
    apply_leads(c.db, c.settings)
    click.echo(
        "sample tracker loaded" if loaded else "sample tracker already loaded; nothing changed"
    )


@cli.command()
@click.option("--inspection", help="Inspection code, when several are tracked.")
@click.argument("rec", required=False)
@pass_ctx
def summary(c: Context, inspection: str | None, rec: str | None) -> None:
    """Print the tracker summary (optionally one recommendation, e.g. R2)."""
    from conversation.plain import summary_text
    from models.service import summary as build_summary

    with c.db.read() as session:
        s = build_summary(
            session,
            today=c.clock.today(),
            inspection=inspection,
            rec=rec,
            immediately_days=c.settings.immediately_days,
        )
    click.echo(summary_text(s))


@cli.command()
@click.option("--panel", "panel_day", help="Panel meeting date (default: the next one).")
@click.option("--out", type=click.Path(dir_okay=False), help="FILE.docx or FILE.md.")
@click.option("--inspection", help="Inspection code, when several are tracked.")
@click.option(
    "--response",
    is_flag=True,
    help="Draft the PCC's s.55 comments on the report (the letter to the Home Secretary) instead.",
)
@pass_ctx
def report(
    c: Context, panel_day: str | None, out: str | None, inspection: str | None, response: bool
) -> None:
    """Draft the panel update paper (Word, or Markdown with the chart as a PNG beside it),
    or with --response the PCC's s.55 comments on the report."""
    from pathlib import Path

    from models.paper import build_paper, default_filename, write_paper
    from models.paper.phrases import long_day
    from models.parsing import parse_date

    today = c.clock.today()
    if response:
        if panel_day:
            raise click.UsageError("--panel is for the panel paper; the response has no panel.")
        _write_response(c, out=out, inspection=inspection)
        return
    day = parse_date(panel_day, today=today) if panel_day else None
    with c.db.read() as session:
        paper = build_paper(
            session,
            today=today,
            now=c.clock.now(),
            panel=day,
            inspection=inspection,
            board=c.settings.board_name,
            immediately_days=c.settings.immediately_days,
        )
    path = Path(out) if out else Path(default_filename(paper))
    for written in write_paper(paper, path, marking=c.settings.marking):
        click.echo(f"wrote {written}")
    if paper.as_at < today:
        click.echo(f"as the tracker stood on {long_day(paper.as_at)}")


def _write_response(c: Context, *, out: str | None, inspection: str | None) -> None:
    from pathlib import Path

    from models.paper import build_response, response_filename, write_response

    with c.db.read() as session:
        response = build_response(
            session,
            today=c.clock.today(),
            now=c.clock.now(),
            inspection=inspection,
            immediately_days=c.settings.immediately_days,
        )
    path = Path(out) if out else Path(response_filename(response))
    for written in write_response(response, path, marking=c.settings.marking):
        click.echo(f"wrote {written}")
    if response.gaps:
        which = ", ".join(f"{i.rec.ref}" for i in response.gaps)
        click.echo(f"no action planned yet for {which}: the draft marks each gap")


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change.")
@click.option("--inspection", help="Inspection code, for a CSV when several are tracked.")
@click.option("--code", help="A report's inspection code, where its text does not say.")
@click.option("--title", help="A report's inspection title, where its text does not say.")
@click.option("--published", help="A report's publication date, where its text does not say.")
@pass_ctx
def import_cmd(
    c: Context,
    file: str,
    dry_run: bool,
    inspection: str | None,
    code: str | None,
    title: str | None,
    published: str | None,
) -> None:
    """Import a workbook (.xlsx) or a CSV of actions; nothing is written if any row is bad.
    An HMICFRS report (.txt, .docx, .pdf) gives the inspection and its recommendations."""
    from pathlib import Path

    from models.parsing import parse_date
    from models.transfer import dry_run_database, import_file
    from models.transfer.report_text import SUFFIXES, import_report

    if Path(file).suffix.lower() in SUFFIXES:
        day = parse_date(published, today=c.clock.today()) if published else None
        kw = dict(now=c.clock.now(), tz=c.settings.tz, code=code or inspection, title=title)
        if dry_run:  # as for a workbook: no database created, migrated or given its NCPI_LEADS
            with dry_run_database(c.settings.database_url) as (db, empty):
                done = import_report(db, Path(file), published=day, dry_run=True, **kw)
                done.report.empty_database = empty
        else:
            done = import_report(c.db, Path(file), published=day, **kw)
        click.echo(done.text())
        return
    resolve = None
    if c.settings.slack_bot_token:
        from bot.lookup import slack_email_resolver

        resolve = slack_email_resolver(c.settings)
    kw = dict(now=c.clock.now(), today=c.clock.today(), tz=c.settings.tz, resolve=resolve)
    if dry_run:  # writes nothing: no database created, migrated or given its NCPI_LEADS
        with dry_run_database(c.settings.database_url) as (db, empty):
            report = import_file(db, Path(file), inspection=inspection, dry_run=True, **kw)
            report.empty_database = empty
    else:
        report = import_file(c.db, Path(file), inspection=inspection, **kw)
    click.echo(report.text())


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--template", is_flag=True, help="Write the blank workbook to fill in.")
@click.option("--history", is_flag=True, help="Export the full audit trail instead.")
@click.option("--inspection", help="Inspection code, when several are tracked.")
@pass_ctx
def export(c: Context, file: str, template: bool, history: bool, inspection: str | None) -> None:
    """Export the tracker (.xlsx: every sheet; .csv: the actions), its history, or the template."""
    from pathlib import Path

    from models.transfer import export_history, export_tracker, write_template
    from models.wording import plural

    out = Path(file)
    if template:
        write_template(out)
        click.echo(f"wrote the blank workbook to {out}")
        return
    with c.db.read() as session:
        if history:
            n = export_history(session, out, inspection=inspection)
            click.echo(f"wrote {plural(n, 'history row')} to {out}")
        else:
            n = export_tracker(session, out, tz=c.settings.tz, inspection=inspection)
            click.echo(f"wrote {plural(n, 'row')} to {out}")


@cli.command()
@click.option(
    "--as", "user", default="U0SAFELEAD", show_default=True, help="Slack user id to act as."
)
@pass_ctx
def shell(c: Context, user: str) -> None:
    """Drive the Slack app from the terminal, no Slack needed (reads a script from stdin)."""
    from bot.shell import main_loop, open_shell

    logging.getLogger().setLevel(logging.WARNING)
    sh, fake = open_shell(c.settings, user=user)
    try:
        main_loop(sh, interactive=sys.stdin.isatty())
    finally:
        fake.stop()


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=3000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-scheduler", is_flag=True, help="Do not send reminders from this process.")
@pass_ctx
def serve(c: Context, host: str, port: int, no_scheduler: bool) -> None:
    """Serve Slack over HTTP: POST /slack/events, GET /healthz."""
    from bot.server import serve as run_server

    run_server(c.settings, host=host, port=port, scheduler=not no_scheduler)


@cli.command()
@click.option("--no-scheduler", is_flag=True, help="Do not send reminders from this process.")
@pass_ctx
def socket(c: Context, no_scheduler: bool) -> None:
    """Connect to Slack in Socket Mode (SLACK_APP_TOKEN; no inbound URL)."""
    from bot.socket import run_socket

    run_socket(c.settings, scheduler=not no_scheduler)


@cli.command()
@click.option("--socket", "socket_mode", is_flag=True, help="Socket Mode: no request URLs.")
@click.option("--url", help="This bot's public base URL, e.g. https://ncpi.example.police.uk")
def manifest(socket_mode: bool, url: str | None) -> None:
    """Print the Slack app manifest (manifest.json) to create the app from."""
    import json

    from bot.manifest import load_manifest

    click.echo(json.dumps(load_manifest(socket_mode=socket_mode, base_url=url), indent=2))


cli.add_command(reminders)


def main() -> None:
    cli(prog_name="ncpi-bot")
