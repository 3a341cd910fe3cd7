"""Tracker operations: the one place that changes the tracker.

Every function takes a session and keyword arguments, never commits (the caller's
`db.write()` does, once), takes time as an argument, checks permissions, and writes an
`Update` history row for every change (`audit.record`). Refusals raise `NcpiError`
subclasses whose message is what the user sees.

One module per subject; this package re-exports the public names, so callers write
`from models import service` and `service.update_action(...)`.
"""

from models.service.access import (
    Change,
    allowed_changes,
    is_lead,
    lead_ids,
    offered_to,
    require_lead,
    require_offered,
    require_owner_or_lead,
)
from models.service.actions import (
    add_action,
    mark_implemented,
    require_returnable,
    return_action,
    set_due,
    update_action,
    verify_action,
)
from models.service.actionviews import (
    action_views,
    last_updates,
    my_actions,
    panel_view,
    show_action,
)
from models.service.audit import SAID_FIELDS, history, latest_note, record
from models.service.checks import MAX_NOTE, MAX_TITLE
from models.service.edits import (
    edit_recommendation,
    reinstate_action,
    rename_action,
    withdraw_action,
    withdrawal,
)
from models.service.forms import action_for_change, action_to_decline
from models.service.handovers import Handover, accept_handover, assign_action, decline_handover
from models.service.lookup import (
    action_ref,
    get_action,
    get_inspection,
    get_member,
    get_recommendation,
    inspection_code,
    several_inspections,
    tracked_codes,
)
from models.service.members import (
    LeadChanges,
    ensure_member,
    fill_names,
    is_away,
    is_paused,
    leads_to_tell,
    name_of,
    set_away,
    set_back,
    set_role,
    snooze,
    sync_leads,
    unnamed,
    where_leads_hear,
)
from models.service.milestones import (
    MilestoneView,
    inspection_milestones,
    move_milestone,
    parse_milestone,
)
from models.service.narrative import (
    MAX_PARAGRAPH,
    Written,
    add_closing,
    add_finding,
    closing_paragraphs,
    rec_paragraphs,
    split_paragraphs,
    write_closing,
    write_findings,
)
from models.service.overview import summary
from models.service.panels import add_panel, last_panel, list_panels, next_panel, remove_panel
from models.service.readmodels import (
    HEADLINE,
    ActionView,
    PanelView,
    Rag,
    RecView,
    Summary,
    Tally,
    is_open,
    rag,
)
from models.service.recommendations import RecChoice, recs_to_add_to, reopen, sign_off
from models.service.review import decide, parse_choice, review_day, reviews_due
from models.service.sections import SECTION_LABEL, parse_section
from models.service.threads import claim_reply, record_dm, thread_actions

__all__ = [
    "HEADLINE",
    "MAX_NOTE",
    "MAX_PARAGRAPH",
    "SAID_FIELDS",
    "SECTION_LABEL",
    "MAX_TITLE",
    "ActionView",
    "Change",
    "Handover",
    "LeadChanges",
    "MilestoneView",
    "PanelView",
    "Rag",
    "RecChoice",
    "RecView",
    "Summary",
    "Tally",
    "Written",
    "add_closing",
    "add_finding",
    "accept_handover",
    "action_for_change",
    "action_ref",
    "action_to_decline",
    "action_views",
    "allowed_changes",
    "add_action",
    "add_panel",
    "assign_action",
    "claim_reply",
    "closing_paragraphs",
    "decline_handover",
    "edit_recommendation",
    "ensure_member",
    "fill_names",
    "get_action",
    "get_inspection",
    "get_member",
    "get_recommendation",
    "history",
    "inspection_code",
    "inspection_milestones",
    "is_away",
    "is_paused",
    "leads_to_tell",
    "name_of",
    "offered_to",
    "where_leads_hear",
    "is_lead",
    "lead_ids",
    "is_open",
    "last_panel",
    "last_updates",
    "list_panels",
    "mark_implemented",
    "move_milestone",
    "my_actions",
    "next_panel",
    "panel_view",
    "parse_section",
    "parse_milestone",
    "latest_note",
    "rag",
    "record",
    "record_dm",
    "decide",
    "parse_choice",
    "review_day",
    "reviews_due",
    "reinstate_action",
    "remove_panel",
    "rename_action",
    "rec_paragraphs",
    "recs_to_add_to",
    "reopen",
    "require_lead",
    "require_offered",
    "require_owner_or_lead",
    "require_returnable",
    "return_action",
    "set_away",
    "set_back",
    "set_due",
    "set_role",
    "several_inspections",
    "show_action",
    "sign_off",
    "snooze",
    "split_paragraphs",
    "summary",
    "sync_leads",
    "unnamed",
    "thread_actions",
    "tracked_codes",
    "update_action",
    "verify_action",
    "withdraw_action",
    "withdrawal",
    "write_closing",
    "write_findings",
]
