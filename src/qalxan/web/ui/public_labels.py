"""Translatable names of the vocabularies a defender sees (urgency, contact channels, the
status of their report, the review questions): the defender's pages must have every one of
them translated.
"""

from __future__ import annotations

from typing import Final

from qalxan.web.ui.i18n import N_

PUBLIC_LABELS: Final[dict[str, dict[str, str]]] = {
    "defender_status": {
        "new": N_("Received, not yet reviewed"), "triage": N_("Being assessed"),
        "open": N_("We are working on it"), "waiting": N_("Waiting for information"),
        "resolved": N_("Resolved"), "closed": N_("Closed"),
    },
    "urgency": {
        "low": N_("Low: no rush"), "medium": N_("Medium: within a few days"),
        "high": N_("High: within a day"), "critical": N_("Critical: I am in danger now"),
    },
    "channel": {
        "receipt_only": N_("Only through this website, with my receipt code"),
        "email": N_("E-mail"), "signal": N_("Signal"), "whatsapp": N_("WhatsApp"),
        "telegram": N_("Telegram"), "phone": N_("Phone"), "other": N_("Other"),
    },
    "defender_kind": {"individual": N_("A person"), "organisation": N_("An organisation")},
    # the review of the help received (qalxan.domain.review): questions, answers, ratings
    "review_question": {
        "timely": N_("Did we respond quickly enough?"),
        "need_met": N_("Did our help address what you needed?"),
        "safer": N_("Do you feel safer now than when you first contacted us?"),
        "recommend": N_("Would you recommend us to another defender in a similar situation?"),
    },
    "review_answer": {
        "yes": N_("Yes"), "partly": N_("Partly"), "no": N_("No"), "unsure": N_("Not sure"),
    },
    "rating": {
        "1": N_("1 – very poor"), "2": N_("2 – poor"), "3": N_("3 – acceptable"),
        "4": N_("4 – good"), "5": N_("5 – very good"),
    },
}
