"""Every route declares who may call it; every service function declares its permission."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Mount

import qalxan.services
from qalxan.services.context import Platform
from qalxan.web.app import create_app
from qalxan.web.deps import REQUIREMENT_TYPES

# Routes FastAPI itself adds; they serve only the public API description.
FRAMEWORK_ROUTES = {"/api/v1/openapi.json"}
STATIC_MOUNTS = {"/static"}


def _requirements(dependant: Any) -> list[Any]:
    found = [d.call for d in dependant.dependencies if isinstance(d.call, REQUIREMENT_TYPES)]
    for sub in dependant.dependencies:
        found.extend(_requirements(sub))
    return found


def test_every_route_declares_exactly_one_requirement(platform: Platform) -> None:
    app = create_app(platform)
    missing, several, seen = [], [], 0
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount):
            assert context.path in STATIC_MOUNTS, f"unexpected mount {context.path}"
            continue
        if not isinstance(route, APIRoute):
            assert context.path in FRAMEWORK_ROUTES, f"undeclared route {context.path}"
            continue
        seen += 1
        found = _requirements(route.dependant)
        if not found:
            missing.append(f"{sorted(route.methods)} {context.path}")
        elif len(found) > 1:
            several.append(f"{sorted(route.methods)} {context.path}")
    assert seen >= 20
    assert not missing, f"routes without a declared permission: {missing}"
    assert not several, f"routes with more than one requirement: {several}"


def _service_functions() -> list[tuple[str, Any]]:
    found = []
    for info in pkgutil.iter_modules(qalxan.services.__path__):
        module = importlib.import_module(f"qalxan.services.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_"):
                found.append((f"{module.__name__}.{name}", fn))
    return found


# Helpers called only from inside a service function that has already been checked.
INTERNAL_HELPERS = {
    "qalxan.services.analysis.analyse_and_store", "qalxan.services.cases.summary",
    "qalxan.services.cases.store_note", "qalxan.services.evidence.store_text",
    "qalxan.services.evidence.store_file", "qalxan.services.evidence.view",
    "qalxan.services.evidence.views_for_case", "qalxan.services.guard.granted_users",
    "qalxan.services.guard.visible_case", "qalxan.services.guard.visible_evidence",
    "qalxan.services.guard.visibility_clause", "qalxan.services.timeline.record",
    "qalxan.services.accounts.revoke_sessions", "qalxan.services.accounts.totp_secret",
    "qalxan.services.accounts.accept_totp", "qalxan.services.deletion.delete_case_rows",
    "qalxan.services.timeline.event_row", "qalxan.services.analysis.finding_rows",
    "qalxan.services.cases.export_record",
    "qalxan.services.evidence.text_row",
    "qalxan.services.evidence.file_row",
    "qalxan.services.receipt_access.case_by_receipt", "qalxan.services.reviews.review_of",
    "qalxan.services.cases.defender_details",
    "qalxan.services.organisations.host_org_id",
    "qalxan.services.organisations.insert_organisation",
    "qalxan.services.retention.purge_expired",
    "qalxan.services.guard.org_object", "qalxan.services.alerts.alert_posts",
    "qalxan.services.alerts.raise_alerts", "qalxan.services.alerts.kept_record",
    "qalxan.services.watchlists.new_defender_for", "qalxan.services.watchlists.watched_defender",
    "qalxan.services.watchlists.watched_defenders",
    "qalxan.services.guard.consents_to_sharing", "qalxan.services.guard.latest_consent",
    "qalxan.services.guard.grant_lapse", "qalxan.services.guard.require_owning_organisation",
    "qalxan.services.sharing.grant_views",
    # a case's defender after checking the case's binding; an evidence item's sealed SHA-256
    # and the check of its bytes against it (from get_case, exports, downloads)
    "qalxan.services.cases.case_defender", "qalxan.services.evidence.receipt_sha256",
    "qalxan.services.evidence.check_receipt_hash",
    "qalxan.services.cases.consents_to_sharing",
    "qalxan.services.watchlists.delete_entry_rows",
}


def test_every_public_service_function_declares_a_permission() -> None:
    context_first = [
        (name, fn) for name, fn in _service_functions()
        if list(inspect.signature(fn).parameters)[:1] == ["ctx"] and name not in INTERNAL_HELPERS
    ]
    assert context_first
    undeclared = [name for name, fn in context_first
                  if not hasattr(fn, "__qalxan_permission__")]
    assert not undeclared, f"service functions without @service(permission): {undeclared}"
