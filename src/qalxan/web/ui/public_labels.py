"""Translatable names of the vocabularies a defender sees (urgency, contact channels, the
status of their report): the defender's pages must have every one of them translated.
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
}
