"""The leads' request to review the draft paper: NCPI_REVIEW_DAYS working days before each
panel, one DM to each lead (not the digest channel: each lead reviews in their own DM and App
Home), once per panel."""

from __future__ import annotations

from models.planner.model import Kind, Owed
from models.planner.panel import _panel_info, _previous_panels
from models.planner.standing import _fmt
from models.service.members import where_leads_hear
from models.service.review import review_day


def _plan_review(members, panels, sent, settings, today, start) -> list[Owed]:
    """Sent on the review day; a day missed within the catch-up window is sent today, and
    once sent (on any day) it is not sent again for that panel."""
    # each lead reviews for themselves: never the digest channel, never one who is away
    leads = where_leads_hear(members.values(), digest_channel=None, today=today)
    out: list[Owed] = []
    if not leads:
        return out
    prev = _previous_panels(panels)
    for p in panels:
        if p.day <= today:
            continue
        day = review_day(p.day, settings.review_days)
        if not (start <= day <= today):
            continue
        for lead in leads:
            target = f"P{p.id}:{lead}"
            if day < today and sent.last(Kind.REVIEW, target) >= day:
                continue
            out.append(
                Owed(
                    kind=Kind.REVIEW,
                    target=target,
                    local_day=today,
                    recipient=lead,
                    reason=f"panel {_fmt(p.day)}: review the draft paper"
                    + ("" if day == today else f" (catch-up of {_fmt(day)})"),
                    panel=_panel_info(p, prev[p.id]),
                    today=today,
                    caught_up=(day,) if day < today else (),
                )
            )
    return out
