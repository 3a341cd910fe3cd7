"""`ncpi-bot reminders …`: run a sweep now (or as of an instant), or list what went out."""

from __future__ import annotations

from datetime import UTC, date, datetime

import click

from bot.cli_context import Context, pass_ctx
from models.errors import UsageError
from models.wording import long_day


@click.group()
def reminders() -> None:
    """Reminders: run the sweep, list what went out."""


def _instant(value: str | None, c: Context) -> datetime:
    """`--at`: a time stays exact; a bare date is that day at the reminder hour, when the
    day's reminders go out (midnight would find nothing owed)."""
    from models.planner import reminder_instant

    if not value:
        return c.clock.now()
    try:
        return reminder_instant(date.fromisoformat(value), c.settings)
    except ValueError:
        pass
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            "--at must be an ISO-8601 time or date, e.g. 2026-11-30T09:00, 2026-11-30T09:00:00Z "
            f"or 2026-11-30 (that day at NCPI_REMINDER_HOUR); got {value!r}"
        ) from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=c.settings.tz)  # a bare local time is in NCPI_TIMEZONE
    return at.astimezone(UTC)


@reminders.command("run")
@click.option(
    "--at",
    "at",
    metavar="ISO-8601",
    help="Sweep as of this instant (default: now); a bare date is that day at NCPI_REMINDER_HOUR.",
)
@click.option("--dry-run", is_flag=True, help="Print who would get what and why; send nothing.")
@pass_ctx
def run(c: Context, at: str | None, dry_run: bool) -> None:
    """One reminder sweep: send every reminder owed now (or as of --at), once."""
    from bot.views.reminders import reminder_message
    from jobs.sweep import reminder_client, sweep

    now = _instant(at, c)
    if dry_run:
        result = sweep(db=c.db, client=None, settings=c.settings, now=now, dry_run=True)
        local = now.astimezone(c.settings.tz)
        click.echo(f"reminders owed at {long_day(local)} {local:%H:%M %Z}: {result.planned}")
        _why_nothing(c, result.planned, now)
        for o in result.outcomes:
            items = " ".join(o.owed.action_refs[:12]) + (
                " …" if len(o.owed.action_refs) > 12 else ""
            )
            click.echo(
                f"{o.state:<15} {o.owed.kind:<10} → {o.owed.recipient:<12} "
                f"[{o.owed.key}] {o.owed.reason}"
                + (f"  ({items})" if items and o.owed.kind == "escalation" else "")
            )
        for s in result.skipped:
            click.echo(f"skipped {s.ref}: {s.reason}")
        return
    c.settings.require("SLACK_BOT_TOKEN")
    result = sweep(
        db=c.db,
        client=reminder_client(c.settings),
        settings=c.settings,
        now=now,
        render=reminder_message,
        clock=c.clock.now,
    )
    if result.locked_out:
        click.echo("another sweep is running (it holds the lock); nothing done")
        return
    click.echo(
        f"{result.planned} owed: {result.count('sent')} sent, {result.count('recovered')} "
        f"recovered from Slack history, {result.count('already')} already sent, "
        f"{result.count('taken')} taken by another sweep, "
        f"{result.count('retrying') + result.count('waiting')} to retry, "
        f"{result.count('failed')} failed"
    )
    _why_nothing(c, result.planned, now)
    for o in result.outcomes:
        if o.state in ("failed", "retrying"):
            click.echo(f"{o.state}: {o.owed.key} → {o.owed.recipient}: {o.detail}", err=True)
    for s in result.skipped:
        click.echo(f"skipped {s.ref}: {s.reason}", err=True)


def _why_nothing(c: Context, planned: int, now: datetime) -> None:
    if planned:
        return
    from models.quiet import why_nothing_owed

    with c.db.read() as session:
        click.echo("nothing owed: " + why_nothing_owed(session, now=now, settings=c.settings))


@reminders.command("list")
@click.option("--day", help="Only reminders keyed on this local day (YYYY-MM-DD).")
@click.option("--limit", default=50, show_default=True, help="How many, newest first.")
@pass_ctx
def list_cmd(c: Context, day: str | None, limit: int) -> None:
    """What went out, when, to whom, and its delivery state."""
    from jobs.sweep import list_reminders

    only = None
    if day:
        try:
            only = date.fromisoformat(day)
        except ValueError:
            raise UsageError(f"--day must be a date like 2026-11-30, got {day!r}") from None
    rows = list_reminders(c.db, limit=limit, day=only)
    if not rows:
        click.echo("no reminders yet")
        return
    tz = c.settings.tz
    click.echo(
        f"{'day':<10}  {'kind':<10}  {'to':<12}  {'state':<7}  {'tries':>5}  {'sent':<16}  where / why"
    )
    for r in rows:
        sent = f"{r.sent_at.astimezone(tz):%d %b %H:%M}" if r.sent_at else "-"
        where = f"{r.channel} {r.ts}" if r.ts else (r.error or "")
        click.echo(
            f"{r.local_day.isoformat():<10}  {r.kind:<10}  {r.recipient:<12}  {r.state:<7}  "
            f"{r.attempts:>5}  {sent:<16}  {where}  {r.target}"
        )
