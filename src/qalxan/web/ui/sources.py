"""Staff page for the monitored sources: each with its kind, the posts the monitor has read
from it, its last run and last error; adding one (its params as ``key=value`` lines, checked
by the source kind), pausing and resuming, removing. For those who manage monitoring."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from qalxan.monitoring.sources import SOURCES, SourceKind
from qalxan.monitoring.sources.params import key_values
from qalxan.security.access import Permission as P
from qalxan.services import monitor
from qalxan.services.auth import SessionInfo
from qalxan.services.monitoring_schemas import SourceInput
from qalxan.web.deps import page, platform_of
from qalxan.web.ui.forms import form_values, staff_input
from qalxan.web.ui.i18n import N_
from qalxan.web.ui.rendering import redirect, render

router = APIRouter(include_in_schema=False)
NEEDS_MONITOR_MANAGE = page(P.MONITOR_MANAGE)
PAGE = "/monitor/sources"
NOTICES = {"added": N_("The source was added."), "paused": N_("The source is paused."),
           "resumed": N_("The source is monitored again."),
           "removed": N_("The source was removed.")}


def source_kinds() -> list[SourceKind]:
    return [SOURCES.get(name) for name in SOURCES.names()]


@router.get(PAGE, response_class=HTMLResponse)
async def sources_page(request: Request, done: str = "",
                       info: SessionInfo = NEEDS_MONITOR_MANAGE) -> HTMLResponse:
    rows = await platform_of(request).run_async(info.actor, monitor.list_sources)
    return render(request, "sources.html", session=info, csrf_token=info.csrf_token,
                  sources=rows, kinds=source_kinds(), notice=NOTICES.get(done))


@router.post(PAGE)
async def add(request: Request, info: SessionInfo = NEEDS_MONITOR_MANAGE) -> Response:
    form = await request.form()
    raw = form.get("params")
    values = {**form_values(form, ("kind", "name")),
              "params": key_values(raw.splitlines() if isinstance(raw, str) else [])}
    data = staff_input(SourceInput, values)
    await platform_of(request).run_async(info.actor, monitor.add_source, data)
    return redirect(PAGE + "?done=added")


@router.post(PAGE + "/{source_id}/active")
async def set_active(source_id: str, request: Request,
                     info: SessionInfo = NEEDS_MONITOR_MANAGE) -> Response:
    """``active=yes`` resumes the source, anything else pauses it."""
    active = (await request.form()).get("active") == "yes"
    await platform_of(request).run_async(info.actor, monitor.set_source_active, source_id,
                                         active)
    return redirect(PAGE + ("?done=resumed" if active else "?done=paused"))


@router.post(PAGE + "/{source_id}/remove")
async def remove(source_id: str, request: Request,
                 info: SessionInfo = NEEDS_MONITOR_MANAGE) -> Response:
    await platform_of(request).run_async(info.actor, monitor.remove_source, source_id)
    return redirect(PAGE + "?done=removed")
