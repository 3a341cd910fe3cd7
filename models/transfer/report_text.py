"""Starting a tracker from the report itself: an HMICFRS report (or a panel paper that quotes
one) as .txt, .docx or .pdf → its numbered items → the workbook import's plan.

An item starts at a heading such as `Recommendation 2 (Remains outstanding)`,
`Area for improvement 3` or `Cause of concern 1`; its text is the paragraph that follows (with
a lead-in such as "This should include:" standing as a paragraph of its own kept at its end,
`models.transfer.lead_in`), its sub-points the bullets after that, and it ends at the next heading, at a paragraph numbered
like `1.4`, or at a heading such as `Findings …` or `Improvement required`. The timescale is
read from the text ("immediately", "within three months", "by 31 March 2027"), the status from
the heading ("signed off", "remains outstanding").

Every item is written through the workbook import's `apply_plan` (same checks, same history
rows, same "twice changes nothing"), as a recommendation (`R2`), an area for improvement
(`AFI3`) or a cause of concern (`C1`). Which recommendations a cause of concern carries is not
read from the text (reports word it too many ways): a lead sets it on the Recommendations
sheet's *Cause of concern* column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from models.db import Database
from models.errors import UsageError
from models.kinds import NOUN, NOUNS, ORDER, counted, item_ref
from models.parsing import in_window
from models.tables import ItemKind, RecStatus
from models.transfer.cells import Plan, Record
from models.transfer.changes import ImportReport
from models.transfer.importer import apply_plan
from models.transfer.lead_in import is_lead_in, with_lead_in
from models.transfer.schema import MAX_CELL, REC_STATUS_WORDS, norm
from models.wording import plural

SUFFIXES = (".txt", ".docx", ".pdf")
RECOMMENDATION = "Recommendation"
AFI = "Area for improvement"
CAUSE = "Cause of concern"
KIND = {RECOMMENDATION: ItemKind.RECOMMENDATION, AFI: ItemKind.AFI, CAUSE: ItemKind.CAUSE}

HEADING = re.compile(
    r"^(?P<kind>recommendation|area for improvement|cause of concern)"
    r"(?:\s+(?:no\.?\s*)?(?P<number>\d{1,3}))?\b\s*[–—:\-(]?\s*(?P<rest>.*?)\)?\s*$",
    re.IGNORECASE,
)
# Where an item's text ends: the findings that follow it, a numbered paragraph, a heading.
STOP = re.compile(
    r"^(findings\b|improvements? required\b|\d+(\.\d+)+\s|\d+\.\s+[A-Z]{2}|summary\b|"
    r"recommendations\s*:?$|areas for improvement\s*:?$|causes of concern\s*:?$)",
    re.IGNORECASE,
)
BULLET = re.compile(r"^(?:[-•*·▪◦●–]|\(?[a-z]\)|\(?[ivx]+\))\s+")
TIMESCALE = re.compile(
    r"\b(immediately|within\s+(?:\w+|\d+)\s+(?:days?|weeks?|months?|years?)|"
    r"by\s+\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4})\b",
    re.IGNORECASE,
)
WRITTEN_DATE = r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Z][a-z]+)\s+(\d{4})"
PUBLISHED = re.compile(
    rf"\bpublished\b[^.\n]{{0,80}}?\b(?:on\s+|:\s*)?{WRITTEN_DATE}", re.IGNORECASE
)
CODE = re.compile(r"(?i:inspection)\s*\(([A-Z][A-Z0-9]{1,9})\)")
TITLE_LINE = re.compile(r"^(?:re|subject|title)\s*:\s*(.+)$", re.IGNORECASE)
FORCE = re.compile(
    r"\b(?:for|of) ((?:[A-Z][a-z]+(?: and | |-)){1,4}(?:Constabulary|Police(?: Service)?))\b"
)


@dataclass
class Item:
    kind: str
    number: int
    line: int
    text: str = ""
    sub_points: list[str] = field(default_factory=list)
    timescale: str | None = None
    status: RecStatus | None = None

    @property
    def ref(self) -> str:
        return item_ref(KIND[self.kind], self.number)

    @property
    def key(self) -> tuple[ItemKind, int]:
        return KIND[self.kind], self.number


@dataclass
class Found:
    """What a report's text holds, before anything is written."""

    name: str
    lines: int
    words: int
    items: list[Item] = field(default_factory=list)
    code: str | None = None
    title: str | None = None
    title_line: int = 1
    published: date | None = None
    force: str | None = None

    def of(self, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind]

    def text(self) -> str:
        """Every item found, one by one, and what the inspection would be recorded as."""
        published = f"{self.published:%-d %B %Y}" if self.published else "(not found)"
        out = [
            f"{self.name}: inspection {self.code or '(no code)'} "
            f"{repr(self.title) if self.title else '(no title)'}; published {published}"
            + (f"; {self.force}" if self.force else "")
        ]
        for kind in ORDER:
            items = [i for i in self.items if KIND[i.kind] == kind]
            if items or kind == ItemKind.RECOMMENDATION:
                out.append(f"found {plural(len(items), NOUN[kind], NOUNS[kind])}:")
                out += [_item_text(i) for i in items]
        return "\n".join(out)


def _item_text(i: Item) -> str:
    status = {RecStatus.SIGNED_OFF: "signed off", RecStatus.OUTSTANDING: "outstanding"}
    about = [status.get(i.status, "status not stated"), i.timescale or "no timescale given"]
    head = f"  {i.ref} (line {i.line}, {', '.join(about)}): {i.text}"
    return "\n".join([head, *(f"      - {s}" for s in i.sub_points)])


# -- reading --------------------------------------------------------------------------------


def read_report_text(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".txt":
        raw = path.read_bytes()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return raw.decode("cp1252", errors="replace")
    if suffix == ".docx":
        import docx

        try:
            document = docx.Document(str(path))
        except Exception as e:  # noqa: BLE001 - any unreadable file is one user error
            raise UsageError(
                f"{path.name} is not a Word file I can read ({type(e).__name__})."
            ) from None
        paragraphs = []
        for p in document.paragraphs:
            listed = p.style is not None and p.style.name.lower().startswith("list")
            paragraphs.append(f"- {p.text}" if listed and p.text.strip() else p.text)
        return "\n\n".join(paragraphs)
    if suffix == ".pdf":
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        try:
            reader = PdfReader(path)
            if reader.is_encrypted:
                reader.decrypt("")
            return "\n\n".join(page.extract_text() or "" for page in reader.pages)
        except (PyPdfError, ValueError, KeyError, OSError) as e:
            raise UsageError(f"{path.name} is not a PDF I can read ({type(e).__name__}).") from None
    raise UsageError(f"Import a report as .txt, .docx or .pdf, not {path.name}.")


# -- parsing --------------------------------------------------------------------------------


def _clean(line: str) -> str:
    return " ".join(line.replace("**", "").replace("\u00a0", " ").split())


def _kind(word: str) -> str:
    w = word.lower()
    return RECOMMENDATION if w.startswith("rec") else AFI if w.startswith("area") else CAUSE


def _sub_point(line: str) -> str:
    s = BULLET.sub("", line).strip()
    return re.sub(r"(?:[;,.]\s*(?:and|or)?|\s+(?:and|or))\s*$", "", s).strip()


def parse_report(text: str, *, name: str) -> Found:
    lines = [_clean(x) for x in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    found = Found(name=name, lines=sum(1 for x in lines if x), words=len(text.split()))
    _inspection(found, lines)
    item: Item | None = None
    state = "text"  # then "points"; an item ends at a stop or, after a blank line, at prose
    gap = False
    for number, line in enumerate(lines, start=1):
        m = HEADING.match(line)
        # numbered, or (areas for improvement, causes of concern) a heading on its own
        if m and (
            m.group("number") or (_kind(m.group("kind")) != RECOMMENDATION and not m.group("rest"))
        ):
            kind = _kind(m.group("kind"))
            n = int(m.group("number")) if m.group("number") else len(found.of(kind)) + 1
            item = Item(kind=kind, number=n, line=number)
            found.items.append(item)
            rest = m.group("rest").strip(" –—-:()")
            if rest:
                status = REC_STATUS_WORDS.get(norm(rest))
                if status is not None:
                    item.status = RecStatus(status)
                else:
                    item.text = rest
            state, gap = "text", False
            continue
        if item is None:
            continue
        if not line:
            gap = True
            continue
        if STOP.match(line):
            item = None
            continue
        bullet = bool(BULLET.match(line))
        if bullet and item.text:
            item.sub_points.append(_sub_point(line))
            state, gap = "points", False
        elif state == "points" and not gap:
            item.sub_points[-1] = _sub_point(f"{item.sub_points[-1]} {line}")  # a wrapped bullet
        elif gap and item.text and not item.sub_points and is_lead_in(line):
            item.text, gap = with_lead_in(item.text, line), False  # "This should include:"
        elif gap and item.text:
            item = None  # the prose after the item
        else:
            item.text = f"{item.text} {line}".strip()
            gap = False
    for i in found.items:
        m = TIMESCALE.search(i.text)
        if m:
            words = " ".join(m.group(1).split())
            by = words.lower().startswith("by ")
            i.timescale = f"By {words[3:]}" if by else words.lower().capitalize()
    return found


def _inspection(found: Found, lines: list[str]) -> None:
    joined = "\n".join(lines)
    m = CODE.search(joined)
    found.code = m.group(1) if m else None
    for number, line in enumerate(lines, start=1):
        t = TITLE_LINE.match(line)
        if t:
            title = re.sub(r"^(HMICFRS|HMIC)\s*[–—:\-]\s*", "", t.group(1)).rstrip(" .")
            found.title, found.title_line = title, number
            break
    p = PUBLISHED.search(joined)
    if p:
        for fmt in ("%d %B %Y", "%d %b %Y"):
            try:
                day = datetime.strptime(f"{p.group(1)} {p.group(2)} {p.group(3)}", fmt).date()
            except ValueError:
                continue
            found.published = day if in_window(day) else None
            break
    f = FORCE.search(joined)
    found.force = " ".join(f.group(1).split()) if f else None


# -- importing ------------------------------------------------------------------------------


def check_found(found: Found) -> None:
    """Refuses a text that yields nothing to write, or whose items repeat a number."""
    seen: dict[tuple[str, int], Item] = {}
    for i in found.items:
        first = seen.setdefault((i.kind, i.number), i)
        if first is not i:
            raise UsageError(
                f"nothing was imported: {found.name} has {i.kind} {i.number} ({i.ref}) twice, "
                f"at lines {first.line} and {i.line}; each item's number must be its own"
            )
    empty = [i.ref for i in found.items if not i.text]
    if empty:
        raise UsageError(
            f"nothing was imported: in {found.name} {', '.join(empty)} has a heading but no text"
        )
    if found.items:
        return
    saw = f"{plural(found.lines, 'line')} of text ({plural(found.words, 'word')})"
    raise UsageError(
        f"nothing was imported: {found.name} has {saw} but no numbered recommendation, area "
        "for improvement or cause of concern (a heading such as 'Recommendation 1' or 'Area "
        "for improvement 3'), so there is nothing the tracker can hold"
    )


def plan_from(found: Found, *, code: str | None, title: str | None, published: date | None) -> Plan:
    """The items found, as the rows a workbook would give; options win over text."""
    code, title = code or found.code, title or found.title
    published = published or found.published
    missing = [w for w, v in (("--code", code), ("--title", title)) if not v]
    if missing:
        raise UsageError(
            f"nothing was imported: {found.name} does not say the inspection's "
            f"{' or '.join(m[2:] for m in missing)}; give {' and '.join(missing)}"
        )
    if len(code) > 40:
        raise UsageError(f"nothing was imported: the code {code!r} is longer than 40 characters")
    given = {"code": code, "title": title, "inspectorate": "HMICFRS"}
    if published:
        given["published"] = published
    if found.force:
        given["force"] = found.force
    plan = Plan(inspection=Record(sheet=found.name, row=found.title_line, given=given))
    for i in found.items:
        if len(i.text) > MAX_CELL:
            raise UsageError(
                f"nothing was imported: {i.ref} at line {i.line} of {found.name} runs to "
                f"{len(i.text):,} characters (at most {MAX_CELL:,}); does a heading after it "
                "end it?"
            )
        # what the text does not say (a timescale, sub-points, a status) is left as tracked
        rec = {"number": i.key, "text": i.text}
        for key, value in (("sub_points", i.sub_points), ("timescale", i.timescale)):
            if value:
                rec[key] = value
        if i.status is not None:
            rec["status"] = i.status
        plan.recs.append(Record(sheet=found.name, row=i.line, given=rec))
    return plan


@dataclass
class ReportImport:
    found: Found
    report: ImportReport

    def text(self) -> str:
        if self.report.dry_run:
            return f"{self.found.text()}\n{self.report.text()}"
        shown = []
        for kind in ORDER:
            items = [i for i in self.found.items if i.key[0] == kind]
            if not items:
                continue
            refs, numbers = [i.ref for i in items], [i.number for i in items]
            run = len(refs) > 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
            shown.append(f"{refs[0]} to {refs[-1]}" if run else ", ".join(refs))
        kinds = [i.key[0] for i in self.found.items]
        return (
            f"read {self.found.name}: {counted(kinds)} ({'; '.join(shown)})\n{self.report.text()}"
        )


def import_report(
    db: Database,
    path: Path,
    *,
    now: datetime,
    tz: ZoneInfo,
    code: str | None = None,
    title: str | None = None,
    published: date | None = None,
    dry_run: bool = False,
) -> ReportImport:
    """Read the report, find its items, and apply them as the workbook import does."""
    found = parse_report(read_report_text(path), name=path.name)
    check_found(found)
    plan = plan_from(found, code=code, title=title, published=published)
    with db.write() as session:
        report = apply_plan(session, plan, now=now, tz=tz)
        report.dry_run = dry_run
        if dry_run:
            session.rollback()
    return ReportImport(found=found, report=report)
