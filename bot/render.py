"""Outcomes (conversation.outcomes) as Slack shows them: a sentence's parts as mrkdwn,
a `Done` as a Reply's blocks and fallback, a `Tell` as a DM's blocks, a `Held` change as the
guardrail's confirm/rewrite prompt carrying it, a `Form` as a modal (bot/views/modals.py),
a `Read` as its view's blocks (bot/views/). The words are the conversation's; only the
markup is written here."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, Block

from bot import pending
from bot.reply import Notice, Reply
from bot.values import Origin
from bot.views.actions import offer_button, row_block_id
from bot.views.common import MAX_BUTTON_VALUE, context, mrkdwn, section
from bot.views.help import help_blocks, help_text
from bot.views.modals import form_view
from bot.views.notices import guardrail_blocks
from bot.views.review import review_blocks, review_text
from bot.views.summary import (
    milestone_blocks,
    milestones_text,
    rec_detail_blocks,
    summary_blocks,
    summary_fallback,
)
from bot.views.tracker import (
    history_blocks,
    history_text,
    mine_blocks,
    mine_text,
    panel_blocks,
    show_blocks,
    show_text,
)
from conversation import wording
from conversation.outcomes import Answer, Done, Form, Held, Outcome, Read, Tell
from conversation.report import ReportRequest
from models.wording import plural


def done_reply(d: Done) -> Reply:
    blocks: list[Block] = [section(mrkdwn(wording.line(d)))]
    if d.detail:
        blocks.append(context(mrkdwn(d.detail)))
    return Reply(
        text=mrkdwn(wording.short(d)),
        blocks=blocks,
        notices=[notice(t) for t in d.tells],
        repeated=d.repeated,
    )


def held_reply(
    h: Held,
    *,
    react: tuple[str, str] | None = None,
    origin: Origin | None = None,
    hold_limit: int = MAX_BUTTON_VALUE,
) -> Reply:
    """The guardrail's prompt, the held change encoded (with the thread message to mark and
    the form it came from) under `hold_limit`: `held` is None when it cannot be carried."""
    held = pending.encode(pending.Held(h.op, h.args, react=react, origin=origin), limit=hold_limit)
    return Reply(
        text=h.prompt,
        blocks=guardrail_blocks(h.prompt, held, subject=h.subject),
        held=held,
        guarded=True,
        held_subject=h.subject,
    )


def reply(
    answer: Answer,
    *,
    react: tuple[str, str] | None = None,
    origin: Origin | None = None,
    hold_limit: int = MAX_BUTTON_VALUE,
) -> Reply:
    if isinstance(answer, Held):
        return held_reply(answer, react=react, origin=origin, hold_limit=hold_limit)
    return done_reply(answer)


def notice(t: Tell) -> Notice:
    """A DM after commit: its sentence; with offers, the action's row and what the actor
    wrote above the buttons, else the row beneath it, small."""
    text = mrkdwn(t.said)
    blocks: list[Block] = [section(text)]
    if t.offers:
        if t.detail:
            blocks.append(section(mrkdwn(t.detail)))
        if t.quote:
            blocks.append(context(mrkdwn(t.quote)))
        blocks.append(
            ActionsBlock(
                block_id=row_block_id("dm", t.subject or ""),
                elements=[offer_button(o) for o in t.offers],
            )
        )
    elif t.detail:
        blocks.append(context(mrkdwn(t.detail)))
    return Notice(t.person, mrkdwn(t.short) if t.short else text, blocks, t.kind, list(t.about))


def form_reply(form: Form) -> Reply:
    """A form to fill in: opened as a modal, its opening line the fallback."""
    return Reply(text=form.opening, modal=form_view(form))


def read_reply(r: Read, *, tz: ZoneInfo) -> Reply:
    """A read as its view in bot/views/, times shown in `tz`."""
    m: Any = r.model
    if r.kind == "help":
        return Reply(text=help_text(r.today), blocks=help_blocks(r.today))
    if r.kind == "summary":
        offers = r.offers.get(m.inspection_code)
        blocks = summary_blocks(m, viewer_is_lead=r.lead, posted=r.in_channel, offers=offers)
        return Reply(text=summary_fallback(m), blocks=blocks, in_channel=r.in_channel)
    if r.kind == "rec":
        blocks = rec_detail_blocks(m, posted=r.in_channel)
        return Reply(text=summary_fallback(m), blocks=blocks, in_channel=r.in_channel)
    if r.kind == "mine":
        blocks = mine_blocks(
            m, viewer=r.viewer, viewer_is_lead=r.lead, today=r.today, note=r.note, offers=r.offers
        )
        return Reply(text=mine_text(m), blocks=blocks)
    if r.kind == "show":
        blocks = show_blocks(
            m,
            viewer=r.viewer,
            viewer_is_lead=r.lead,
            today=r.today,
            tz=tz,
            note=r.note,
            latest=r.extra.get("latest"),
            offers=r.offers,
        )
        return Reply(text=show_text(m), blocks=blocks)
    if r.kind == "history":
        ref = r.extra["ref"]
        blocks = history_blocks(ref, m, tz=tz, refs=r.extra.get("refs"))
        return Reply(text=history_text(ref, m), blocks=blocks)
    if r.kind == "panels":
        named = r.extra.get("inspection")
        blocks = panel_blocks(m, tz=tz, today=r.today, inspection=named)
        return Reply(text=plural(len(m), "panel meeting"), blocks=blocks)
    if r.kind == "milestones":
        return Reply(text=milestones_text(m), blocks=milestone_blocks(m))
    if r.kind == "review":
        return Reply(text=review_text(m), blocks=review_blocks(m))
    raise ValueError(f"a read of an unknown kind: {r.kind!r}")


def outcome(o: Outcome | ReportRequest, *, tz: ZoneInfo) -> Reply:
    """Whatever a command answered, as a Reply."""
    if isinstance(o, Form):
        return form_reply(o)
    if isinstance(o, Read):
        return read_reply(o, tz=tz)
    if isinstance(o, ReportRequest):  # drafted and uploaded once the reply has gone
        return Reply(text=o.opening, report=o)
    return reply(o)
