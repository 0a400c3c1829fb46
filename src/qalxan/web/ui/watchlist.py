"""Staff pages for the watch-list: the defenders whose names the monitor looks for in
public sources. The list shows pseudonymous labels only; an entry's page shows what is
watched for (a read the service audits), the names and contact details only to those who
may read a defender's identity, and lets those who manage the watch-list change it (the
fields they may not read stay as stored when left empty) or remove the entry after a
confirmation step. An entry added from a case
page watches for that case's defender (``case_id``)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from qalxan.security.access import Permission as P
from qalxan.services import watchlists
from qalxan.services.auth import SessionInfo
from qalxan.services.monitoring_schemas import WatchEntryInput
from qalxan.web.deps import page, platform_of
from qalxan.web.ui.forms import form_values, staff_input
from qalxan.web.ui.i18n import N_
from qalxan.web.ui.rendering import redirect, render

router = APIRouter(include_in_schema=False)
NEEDS_WATCHLIST_READ = page(P.WATCHLIST_READ)
NEEDS_WATCHLIST_MANAGE = page(P.WATCHLIST_MANAGE)
PAGE = "/watchlist"
LINES = ("names", "handles", "aliases", "phones", "emails", "addresses")
NOTICES = {"added": N_("The defender is on the watch-list."),
           "saved": N_("The changes were saved."),
           "removed": N_("The entry was removed with the posts and alerts kept about it.")}


def entry_input(form: FormData, *, editing: bool) -> WatchEntryInput:
    """The form as an entry: one name, handle, alias ... per line; ``active`` is a checkbox
    on the edit form (a new entry is active)."""
    values = form_values(form, (*LINES, "region", "case_id", *(("active",) if editing else ())))
    values.setdefault("active", True)
    return staff_input(WatchEntryInput, values)


@router.get(PAGE, response_class=HTMLResponse)
async def watchlist_page(request: Request, case_id: str = "", done: str = "",
                         info: SessionInfo = NEEDS_WATCHLIST_READ) -> HTMLResponse:
    rows = await platform_of(request).run_async(info.actor, watchlists.list_entries)
    return render(request, "watchlist.html", session=info, csrf_token=info.csrf_token,
                  entries=rows, case_id=case_id[:36], notice=NOTICES.get(done))


@router.post(PAGE)
async def add(request: Request, info: SessionInfo = NEEDS_WATCHLIST_MANAGE) -> Response:
    data = entry_input(await request.form(), editing=False)
    entry = await platform_of(request).run_async(info.actor, watchlists.add_entry, data)
    return redirect(f"{PAGE}/{entry.id}?done=added")


@router.get(PAGE + "/{entry_id}", response_class=HTMLResponse)
async def entry_page(entry_id: str, request: Request, done: str = "", remove: str = "",
                     info: SessionInfo = NEEDS_WATCHLIST_READ) -> HTMLResponse:
    entry = await platform_of(request).run_async(info.actor, watchlists.get_entry, entry_id)
    return render(request, "watch_entry.html", session=info, csrf_token=info.csrf_token,
                  entry=entry, confirming=remove == "confirm", notice=NOTICES.get(done))


@router.post(PAGE + "/{entry_id}")
async def update(entry_id: str, request: Request,
                 info: SessionInfo = NEEDS_WATCHLIST_MANAGE) -> Response:
    data = entry_input(await request.form(), editing=True)
    await platform_of(request).run_async(info.actor, watchlists.update_entry, entry_id, data)
    return redirect(f"{PAGE}/{entry_id}?done=saved")


@router.post(PAGE + "/{entry_id}/remove")
async def remove(entry_id: str, request: Request,
                 info: SessionInfo = NEEDS_WATCHLIST_MANAGE) -> Response:
    """Removes the entry once confirmed (``confirm=yes``); otherwise asks first."""
    if (await request.form()).get("confirm") != "yes":
        return redirect(f"{PAGE}/{entry_id}?remove=confirm#remove")
    await platform_of(request).run_async(info.actor, watchlists.remove_entry, entry_id)
    return redirect(PAGE + "?done=removed")
