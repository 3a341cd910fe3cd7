"""The sample tracker: Suffolk Constabulary's NCPI re-inspection, from panel paper AP23/07.

Recommendations, their sub-points and re-inspection status are the paper's; the actions are
drawn from each "Improvement required" paragraph (and the further improvements under R5).
Each recommendation carries AP23/07's own findings and improvement-required paragraphs
(models/sample_text.py), and the paper its closing sections 3 to 5. Owners are placeholders; due dates are placed relative to today so a demo shows overdue,
due-soon and later actions. Loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models import sample_text as ap23_07
from models.calendar import local_to_utc, on_or_before_working_day
from models.service import record
from models.service.narrative import Written, replace_paragraphs
from models.tables import (
    Action,
    Inspection,
    Member,
    PanelMeeting,
    PaperSection,
    Recommendation,
    RecStatus,
    Role,
    Source,
    Status,
    SubPoint,
)

CODE = "NCPI"
# Suffolk's board, which keeps the sample's tracker: what NCPI_BOARD_NAME is for the demo.
BOARD = "Child Protection Delivery Board"
SAMPLE_ACTOR = "import"

# Placeholder people: (user id, display name, role, manager).
LEAD = "U0SAFELEAD"
PEOPLE = [
    (LEAD, "Head of Safeguarding (sample lead)", Role.LEAD, None),
    ("U0DCIPVP01", "DCI Protecting Vulnerable People (sample)", Role.LEAD, LEAD),
    ("U0DIMISS01", "DI Missing Persons (sample)", Role.MEMBER, "U0DCIPVP01"),
    ("U0CCRINSP1", "Inspector, Contact and Control Room (sample)", Role.MEMBER, "U0DCIPVP01"),
    ("U0DIICAIT1", "DI Internet Child Abuse Team (sample)", Role.MEMBER, "U0DCIPVP01"),
    ("U0DIINTEL1", "DI Intelligence (sample)", Role.MEMBER, "U0DCIPVP01"),
    ("U0MARACLD1", "MARAC Partnership Lead (sample)", Role.MEMBER, LEAD),
]

SIGNED_OFF = {1, 3, 5, 7, 8, 10}


@dataclass(frozen=True)
class SampleRec:
    number: int
    title: str
    timescale: str
    text: str
    sub_points: tuple[str, ...] = ()


RECS = [
    SampleRec(
        1,
        "Multi-agency safeguarding arrangements",
        "Immediately",
        "That Suffolk Constabulary immediately works with its statutory safeguarding partners "
        "to resolve problems that are reducing the effectiveness of multi-agency arrangements "
        "to safeguard children.",
    ),
    SampleRec(
        2,
        "Missing children",
        "Immediately",
        "That Suffolk Constabulary immediately improves its arrangements and practices for "
        "responding to incidents of missing children. This should include:",
        (
            "Having regard to the College of Policing Authorised Professional Practice",
            "Using the Philomena protocol",
            "Improving risk assessment for missing children",
            "Improving the way it supervises responses",
            "Improving the way it collects and uses information to prevent incidents of missing children",
        ),
    ),
    SampleRec(
        3,
        "Risk assessment and information sharing",
        "Immediately",
        "That Suffolk Constabulary immediately reviews its risk assessment and "
        "information-sharing practices so it can:",
        (
            "Identify vulnerable children at the earliest possible stage",
            "Identify those who are a risk to children",
            "Assess what immediate action it needs to take to safeguard these children",
            "Refer children without delay to the most appropriate level of support",
        ),
    ),
    SampleRec(
        4,
        "Online child abuse",
        "Immediately",
        "That Suffolk Constabulary immediately establishes clear guidance for its responses to "
        "online child abuse and makes sure these responses are effectively supervised. This is "
        "so its workforce knows:",
        (
            "How to secure, preserve and remove indecent images of children on digital media",
            "Which team is responsible for investigating online child abuse offences",
            "How and when to get specialist help and advice",
            "To consider wider safeguarding for all children affected",
        ),
    ),
    SampleRec(
        5,
        "Information on crime, vulnerability and risk",
        "Within three months",
        "That, within three months, Suffolk Constabulary reviews how it collects, assesses, "
        "and uses information about crime, vulnerability, and risk. This is to make sure "
        "leaders and managers have good-quality information to prioritise safeguarding "
        "measures to reduce risk for vulnerable children.",
    ),
    SampleRec(
        6,
        "Multi-agency risk meetings",
        "No timescale given",
        "That Suffolk Constabulary works with its safeguarding partners and reviews the terms "
        "of reference and practices of all its multi-agency risk-management meetings, "
        "including those for children at risk of exploitation and domestic abuse, and those "
        "who go missing from home.",
    ),
    SampleRec(
        7,
        "Strategic and operational risk-management meetings",
        "Within three months",
        "That, within three months, Suffolk Constabulary works with its partner organisations "
        "to review strategic and operational risk-management meetings for children at risk of "
        "exploitation, children reported as missing, and children in families included in "
        "multi-agency risk assessment conferences. This is so that good-quality partnership "
        "information is presented to support clear and effective strategies and decisions, "
        "reducing risks for the children who are included in these meetings.",
    ),
    SampleRec(
        8,
        "Online offending and digital forensics",
        "Within three months",
        "That within three months, Suffolk Constabulary reviews its capability to respond to "
        "online offending and to forensically examine electronic devices. This is to make sure "
        "it has an effective digital triage capability to examine devices for unlawful digital "
        "content. It should also reduce how long it takes for results of forensic digital "
        "examinations to be returned to investigating officers.",
    ),
    SampleRec(
        9,
        "Child abuse image database",
        "Within three months",
        "That, within three months, Suffolk Constabulary makes better use of the child abuse "
        "image database so it can improve its investigations and safeguarding of child victims.",
    ),
    SampleRec(
        10,
        "Children charged and refused bail",
        "Within six months",
        "That, within six months, Suffolk Constabulary strengthens its working practices with "
        "local authorities to make sure children charged and refused bail are moved to "
        "appropriate alternative accommodation and not held in custody overnight.",
    ),
]


@dataclass(frozen=True)
class SampleAction:
    rec: int
    title: str
    owner: str
    due_in_days: int  # relative to the day the sample is loaded
    status: Status
    note: str  # where in AP23/07 it comes from


ACTIONS = [
    SampleAction(
        2,
        "Prompt risk assessment, supervision and task allocation for children missing overnight",
        "U0CCRINSP1",
        -5,
        Status.AT_RISK,
        "AP23/07 para 1.23",
    ),
    SampleAction(
        2,
        "Consistent recording of children's ethnicity and cultural heritage (Athena compulsory fields)",
        "U0DIMISS01",
        2,
        Status.AT_RISK,
        "AP23/07 para 1.24",
    ),
    SampleAction(
        4,
        "Frontline officers trained to investigate online child abuse under current guidance",
        "U0DIICAIT1",
        20,
        Status.ON_TRACK,
        "AP23/07 para 1.37",
    ),
    SampleAction(
        4,
        "Investigations consider siblings and friends, the voice of the child, wider safeguarding and robust supervision",
        "U0DIICAIT1",
        9,
        Status.ON_TRACK,
        "AP23/07 para 1.38",
    ),
    SampleAction(
        4,
        "Frontline awareness of the online child abuse policy, including uploads to CAID",
        "U0DIINTEL1",
        45,
        Status.NOT_STARTED,
        "AP23/07 para 1.39",
    ),
    SampleAction(
        5,
        "CSE intelligence profile reviewed and shared with partners to direct priorities",
        "U0DIINTEL1",
        30,
        Status.ON_TRACK,
        "AP23/07 paras 1.50-1.52",
    ),
    SampleAction(
        5,
        "CSE risk identified in sexual abuse investigations through focused intelligence training",
        "U0DIINTEL1",
        60,
        Status.ON_TRACK,
        "AP23/07 paras 1.53-1.54",
    ),
    SampleAction(
        6,
        "MARAC actions made SMART, with organisations held to account through the multi-agency review",
        "U0MARACLD1",
        25,
        Status.ON_TRACK,
        "AP23/07 paras 1.61-1.62",
    ),
    SampleAction(
        9,
        "Frontline officers understand CAID's full capacity and use it consistently",
        "U0DIICAIT1",
        -12,
        Status.BLOCKED,
        "AP23/07 para 1.76",
    ),
    SampleAction(
        9,
        "Victim Identification Officers expand CAID uploads and train staff in the process",
        "U0DIICAIT1",
        40,
        Status.ON_TRACK,
        "AP23/07 para 1.77",
    ),
]


def next_panel_day(today: date) -> date:
    """A Friday about three and a half weeks ahead, on a working day."""
    day = today + timedelta(days=21)
    while day.weekday() != 4:
        day += timedelta(days=1)
    return on_or_before_working_day(day)


# AP23/07's wording, as its author would have entered it for the panel of 19 January 2024.
WRITTEN_ON = date(2024, 1, 10)
WRITER = "DCI Protecting Vulnerable People (sample)"  # U0DCIPVP01, by name as the paper records


def _write_ap23_07(
    session: Session, inspection_id: int, rec_ids: dict[int, int], now: datetime
) -> None:
    """AP23/07's findings, improvement required and closing sections 3 to 5 (section 2 is the
    tracker's own account, so the demo's summary follows its actions)."""

    def log(*, position: int, **kw: object) -> None:
        record(
            session,
            inspection_id=inspection_id,
            actor=SAMPLE_ACTOR,
            now=now,
            source=Source.IMPORT,
            **kw,
        )

    places: list[tuple[int | None, PaperSection, tuple[str, ...]]] = [
        (rec_ids[n], PaperSection.FINDINGS, paras) for n, paras in ap23_07.FINDINGS.items()
    ]
    places += [(rec_ids[n], PaperSection.IMPROVEMENT, p) for n, p in ap23_07.IMPROVEMENT.items()]
    places += [
        (None, PaperSection.FINANCIAL, ap23_07.FINANCIAL),
        (None, PaperSection.OTHER, ap23_07.OTHER),
        (None, PaperSection.CONCLUSION, ap23_07.CONCLUSION),
    ]
    for rec_id, section, paras in places:
        replace_paragraphs(
            session,
            inspection_id=inspection_id,
            recommendation_id=rec_id,
            section=section,
            new=[Written(p, WRITTEN_ON, WRITER) for p in paras],
            log=log,
            old=[],
        )


def load_sample_if_empty(session: Session, *, now: datetime, today: date, tz: ZoneInfo) -> bool:
    """The sample, into a tracker that holds no inspection yet (the local shell's first
    start). Returns False (and changes nothing) when anything is tracked."""
    if session.exec(select(Inspection)).first() is not None:
        return False
    return load_sample(session, now=now, today=today, tz=tz)


def load_sample(session: Session, *, now: datetime, today: date, tz: ZoneInfo) -> bool:
    """Load the sample tracker. Returns False (and changes nothing) when already loaded."""
    if session.exec(select(Inspection).where(Inspection.code == CODE)).first():
        return False
    for user_id, name, role, manager in PEOPLE:
        if session.get(Member, user_id) is None:
            session.add(Member(user_id=user_id, display_name=name, role=role, manager=manager))
    insp = Inspection(
        code=CODE,
        title="National Child Protection Inspection (re-inspection), Suffolk Constabulary",
        inspectorate="HMICFRS",
        force="Suffolk Constabulary",
        fieldwork_start=date(2022, 7, 18),
        fieldwork_end=date(2022, 7, 29),
        published=date(2022, 12, 22),
        reinspected=date(2023, 7, 1),
        created_at=now,
    )
    session.add(insp)
    session.flush()
    rec_ids: dict[int, int] = {}
    for r in RECS:
        signed = r.number in SIGNED_OFF
        rec = Recommendation(
            inspection_id=insp.id,
            number=r.number,
            title=r.title,
            text=r.text,
            timescale=r.timescale,
            status=RecStatus.SIGNED_OFF if signed else RecStatus.OUTSTANDING,
            signed_off_on=date(2023, 12, 1) if signed else None,
        )
        session.add(rec)
        session.flush()
        rec_ids[r.number] = rec.id
        for i, text in enumerate(r.sub_points, start=1):
            session.add(SubPoint(recommendation_id=rec.id, position=i, text=text))
    numbers: dict[int, int] = {}
    for a in ACTIONS:
        numbers[a.rec] = numbers.get(a.rec, 0) + 1
        action = Action(
            recommendation_id=rec_ids[a.rec],
            number=numbers[a.rec],
            title=a.title,
            owner=a.owner,
            due=today + timedelta(days=a.due_in_days),
            status=a.status,
            created_at=now,
            updated_at=now,
        )
        session.add(action)
        session.flush()
        record(
            session,
            inspection_id=insp.id,
            actor=SAMPLE_ACTOR,
            now=now,
            source=Source.IMPORT,
            field="created",
            after=a.title,
            note=a.note,
            action=action,
        )
    _write_ap23_07(session, insp.id, rec_ids, now)
    for day, ref in ((date(2024, 1, 19), "AP23/07"), (next_panel_day(today), f"AP{today:%y}/04")):
        session.add(
            PanelMeeting(
                inspection_id=insp.id,
                day=day,
                starts_at=local_to_utc(day, time(10, 0), tz),
                paper_ref=ref,
            )
        )
    return True
