"""Every Block Kit action, block and callback id, in one place."""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    # one-click status on an action row (value: the action ref with its inspection, "NCPI:R2.1")
    ON_TRACK = "ncpi_on_track"
    AT_RISK = "ncpi_at_risk"
    IMPLEMENTED = "ncpi_implemented"  # opens the implemented modal (evidence)
    UPDATE = "ncpi_update"  # opens the update modal
    SNOOZE = "ncpi_snooze"  # remind me next working day
    VERIFY = "ncpi_verify"  # lead
    RETURN = "ncpi_return"  # lead: opens the return modal
    ACCEPT = "ncpi_handover_accept"
    DECLINE = "ncpi_handover_decline"  # opens the decline modal
    PICK_ACTION = "ncpi_pick_action"  # thread reply: which action the note is for
    CONFIRM_NOTE = "ncpi_confirm_note"  # guardrail: keep the note as written
    REWRITE_NOTE = "ncpi_rewrite_note"  # guardrail: discard and rewrite
    POST_SUMMARY = "ncpi_post_summary"
    DRAFT_REPORT = "ncpi_draft_report"
    REVIEW_OPEN = "ncpi_review_open"  # lead: the draft's review (value: the panel meeting's id)
    REVIEW_REC = "ncpi_review_rec"  # lead: one recommendation's form (value: "<panel id>|<n>")


class CallbackId(StrEnum):
    UPDATE = "ncpi_update_modal"
    IMPLEMENTED = "ncpi_implemented_modal"
    ADD = "ncpi_add_modal"
    RETURN = "ncpi_return_modal"
    DECLINE = "ncpi_decline_modal"
    CONFIRM_NOTE = "ncpi_confirm_note_modal"  # guardrail, pushed over a modal
    FINDINGS = "ncpi_findings_modal"  # a recommendation's paper wording (lead)
    CLOSING = "ncpi_closing_modal"  # the paper's closing sections (lead)
    REVIEW = "ncpi_review_modal"  # review of one recommendation's progress before a panel (lead)


# Every input in our modals uses this action id; state is read by block id.
INPUT = "value"
