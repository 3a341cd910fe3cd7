"""Raw cells → typed records, each bad cell a `Problem` (sheet, row, column, value, why).

Cell reading is in models.transfer.cells. Nothing here touches the database: cross-checks against the tracker happen when a plan is
applied. Notes are user text: a problem withholds a value that looks like personal data.
"""

from __future__ import annotations

from datetime import date, datetime, time

from models.errors import UsageError
from models.kinds import ANY_ITEM, EXAMPLES, item_ref
from models.parsing import parse_time
from models.service import MAX_NOTE, MAX_TITLE
from models.service.narrative import check_paragraph
from models.service.sections import parse_section
from models.tables import CLOSING_SECTIONS, REC_SECTIONS, ItemKind, PaperSection, RecStatus, Role
from models.timescales import read_timescale
from models.transfer.cells import NOT_AN_ITEM, Cells, Plan, Record, item_cell, item_of, text_of
from models.transfer.lead_in import split_text
from models.transfer.read import Table
from models.transfer.schema import (
    ACTION_NUMBER,
    ACTION_REF,
    ACTION_STATUS_WORDS,
    EMAIL,
    INSPECTION,
    ITEM_WORDS,
    NO,
    REC_NUMBER,
    REC_STATUS_WORDS,
    SLACK_ID,
    YES,
    Kind,
    Problem,
    blank,
    norm,
)


def parse_tables(tables: list[Table], *, today: date, problems: list[Problem]) -> Plan:
    plan = Plan(problems=problems)
    for t in tables:
        parse = {
            "inspection": _parse_inspection,
            "recommendations": _parse_rec,
            "actions": _parse_action,
            "panels": _parse_panel,
            "people": _parse_person,
            "findings": _parse_finding,
            "paper": _parse_closing,
        }[t.kind.key]
        if t.kind is INSPECTION and len(t.rows) > 1:
            for r in t.rows[1:]:
                problems.append(
                    Problem(t.sheet, r.number, "Code", "", "a workbook holds one inspection")
                )
        for row in t.rows[: 1 if t.kind is INSPECTION else None]:
            c = Cells(t, row, today, problems)
            before = len(problems)
            parse(c)
            if len(problems) == before:
                _file(plan, t.kind, c.record)
    return plan


def _file(plan: Plan, kind: Kind, record: Record) -> None:
    if kind is INSPECTION:
        plan.inspection = record
    else:
        {
            "recommendations": plan.recs,
            "actions": plan.actions,
            "panels": plan.panels,
            "people": plan.people,
            "findings": plan.findings,
            "paper": plan.paper,
        }[kind.key].append(record)


def _parse_inspection(c: Cells) -> None:
    c.text("code", required=True, single_line=True)
    c.text("title", required=True, single_line=True)
    c.text("inspectorate", single_line=True)
    c.text("force", single_line=True)
    for key in ("fieldwork_start", "fieldwork_end", "published", "reinspected"):
        c.day(key)
    code = c.record.get("code")
    if code and len(code) > 40:
        c.bad("code", code, "is longer than 40 characters")


def _parse_rec(c: Cells) -> None:
    v = c.raw("number")
    key = item_cell(v) if not blank(v) else None
    if key is None:
        c.bad("number", v, NOT_AN_ITEM)
        return
    raw_kind = c.raw("kind")
    if not blank(raw_kind):
        kind = ITEM_WORDS.get(norm(raw_kind))
        if kind is None:
            c.bad(
                "kind",
                raw_kind,
                f"is not a kind: write {ANY_ITEM}",
            )
            return
        prefixed = REC_NUMBER.match(text_of(v)).group("word")
        if prefixed and kind != key[0]:
            c.bad("kind", raw_kind, f"does not match the number {item_ref(*key)}")
            return
        key = (kind, key[1])
    c.record.given["number"] = key
    raw_cause = c.raw("cause")
    if not blank(raw_cause):
        cause = item_cell(raw_cause)
        explicit = cause is not None and REC_NUMBER.match(text_of(raw_cause)).group("word")
        if cause is None or (explicit and cause[0] != ItemKind.CAUSE):
            c.bad("cause", raw_cause, "is not a cause of concern (e.g. C1)")
            return
        cause = (ItemKind.CAUSE, cause[1])
        if key[0] != ItemKind.RECOMMENDATION:
            c.bad("cause", raw_cause, "only a recommendation is made under a cause of concern")
            return
        c.record.given["cause"] = cause
    elif c.present("cause"):
        c.record.given["cause"] = None
    c.text("title", single_line=True)
    c.text("text", required=True)
    c.text("timescale", single_line=True)
    if c.record.get("timescale"):
        try:
            read_timescale(c.record.get("timescale"))
        except UsageError as e:
            c.bad("timescale", c.raw("timescale"), e.message)
    if c.present("status"):
        s = c.raw("status")
        status = REC_STATUS_WORDS.get(norm(s)) if not blank(s) else RecStatus.OPEN
        if status is None:
            c.bad("status", s, "is not a status: write signed off, outstanding or open")
        else:
            c.record.given["status"] = status
    c.day("signed_off_on")
    raw = c.raw("sub_points")
    cell = None if not c.present("sub_points") else "" if blank(raw) else text_of(raw)
    text, points = split_text(c.record.get("text"), cell)  # a lead-in ends the text
    got = {"text": text, "sub_points": points}
    c.record.given.update({k: v for k, v in got.items() if v is not None})


def _parse_action(c: Cells) -> None:
    rec = number = None
    raw_ref = c.raw("ref")
    if not blank(raw_ref):
        text = text_of(raw_ref)
        m = ACTION_REF.match(text)
        m2 = ACTION_NUMBER.match(text)
        if m:
            rec, number = item_of(m), int(m.group("a"))
        elif m2:
            number = int(m2.group(1))
        if not number or (m and rec is None):
            c.bad("ref", raw_ref, "is not an action reference (e.g. R2.1 or AFI3.1)")
            return
    raw_rec = c.raw("rec")
    if not blank(raw_rec):
        n = item_cell(raw_rec)
        if n is None:
            c.bad("rec", raw_rec, NOT_AN_ITEM)
            return
        if rec is not None and n != rec:
            c.bad("rec", raw_rec, f"does not match the action reference {item_ref(*rec)}.{number}")
            return
        rec = n
    if rec is None:
        key = "rec" if c.present("rec") or not c.present("ref") else "ref"
        c.bad(key, raw_rec, f"says which item this action is for (e.g. {EXAMPLES})")
        return
    c.record.given["rec"] = rec
    if number is not None:
        c.record.given["number"] = number
    raw_title = c.raw("title")
    title = " ".join(text_of(raw_title).split()) if not blank(raw_title) else ""
    if not title:
        c.bad("title", raw_title, "is empty: every action needs a title")
    elif len(title) > MAX_TITLE:
        c.bad("title", raw_title, f"is {len(title)} characters; keep it under {MAX_TITLE}")
    elif c.no_personal_data("title", title):
        c.record.given["title"] = title
    if c.present("owner"):
        raw = c.raw("owner")
        if blank(raw):
            c.record.given["owner"] = None
        else:
            s = text_of(raw)
            m = SLACK_ID.match(s)
            if m:
                c.record.given["owner"] = m.group(1)
            elif EMAIL.match(s):
                c.record.given["owner_email"] = s.lower()
            else:
                c.bad("owner", raw, "is not a Slack user id (U012AB3CD) or an email address")
    c.day("due")
    if c.present("status"):
        raw = c.raw("status")
        if blank(raw):
            pass  # no status given: a new action starts not started; an existing one keeps its own
        else:
            status = ACTION_STATUS_WORDS.get(norm(raw))
            if status is None:
                c.bad(
                    "status",
                    raw,
                    "is not a status: not started, on track, at risk, blocked, implemented, "
                    "verified or withdrawn (or red, amber, green)",
                )
            else:
                c.record.given["status"] = status
    for key in ("evidence", "notes"):
        if not c.present(key) or blank(c.raw(key)):
            continue
        value = text_of(c.raw(key))
        if len(value) > MAX_NOTE:
            c.bad(key, "", f"is {len(value)} characters; keep it under {MAX_NOTE}")
        elif c.no_personal_data(key, value):
            c.record.given[key] = value


def _parse_panel(c: Cells) -> None:
    c.day("day", required=True)
    if c.present("time"):
        raw = c.raw("time")
        if blank(raw):
            c.record.given["time"] = None
        elif isinstance(raw, time):
            c.record.given["time"] = raw
        elif isinstance(raw, datetime):
            c.record.given["time"] = raw.time()
        else:
            try:
                c.record.given["time"] = parse_time(text_of(raw))
            except UsageError:
                c.bad("time", raw, "is not a time; write it as 10:00")
    c.text("title", single_line=True)
    c.text("paper_ref", single_line=True)
    if c.present("cancelled"):
        raw = norm(c.raw("cancelled"))
        if raw in YES:
            c.record.given["cancelled"] = True
        elif raw in NO:
            c.record.given["cancelled"] = False
        else:
            c.bad("cancelled", c.raw("cancelled"), "write yes or no")


def _parse_person(c: Cells) -> None:
    raw = c.raw("user_id")
    m = SLACK_ID.match(text_of(raw)) if not blank(raw) else None
    if not m:
        c.bad("user_id", raw, "is not a Slack user id (e.g. U012AB3CD)")
    else:
        c.record.given["user_id"] = m.group(1)
    c.text("name", single_line=True)
    if c.present("email") and not blank(c.raw("email")):
        e = text_of(c.raw("email")).lower()
        if EMAIL.match(e):
            c.record.given["email"] = e
        else:
            c.bad("email", c.raw("email"), "is not an email address")
    elif c.present("email"):
        c.record.given["email"] = None
    if c.present("role"):
        r = norm(c.raw("role")) or "member"
        if r in ("lead", "member"):
            c.record.given["role"] = Role(r)
        else:
            c.bad("role", c.raw("role"), "write lead or member")
    if c.present("manager"):
        raw = c.raw("manager")
        if blank(raw):
            c.record.given["manager"] = None
        else:
            m = SLACK_ID.match(text_of(raw))
            if m:
                c.record.given["manager"] = m.group(1)
            else:
                c.bad("manager", raw, "is not a Slack user id (e.g. U012AB3CD)")


def _paragraph(c: Cells, among: tuple[PaperSection, ...]) -> None:
    """A row of paper wording: its section, its text (one paragraph), when and who wrote it."""
    raw = c.raw("section")
    try:
        c.record.given["section"] = parse_section(None if blank(raw) else text_of(raw), among=among)
    except UsageError as e:
        c.bad("section", raw, f"is not a section: {e.message}")
    raw = c.raw("text")
    if blank(raw):
        c.bad("text", raw, "is empty: one paragraph a row")
    else:
        try:
            c.record.given["text"] = check_paragraph(text_of(raw))
        except UsageError as e:
            withhold = "personal data" in e.message
            c.bad("text", raw, e.message, withhold=withhold)
    c.day("date")
    c.text("author", single_line=True)
    author = c.record.get("author")
    if author and len(author) > 200:
        c.bad("author", author, "is longer than 200 characters")


def _parse_finding(c: Cells) -> None:
    raw = c.raw("rec")
    n = item_cell(raw) if not blank(raw) else None
    if n is None:
        c.bad("rec", raw, NOT_AN_ITEM)
    else:
        c.record.given["rec"] = n
    _paragraph(c, REC_SECTIONS)


def _parse_closing(c: Cells) -> None:
    _paragraph(c, CLOSING_SECTIONS)
