"""Staff pages for alerts: the queue of alerts raised by monitoring public sources (physical
risk first, then the latest post), one alert with its reasons and the posts behind it as
evidence, and what a person does with it: add it to one of the watched defender's cases,
open a new case, or dismiss it. Each action is one service call; the services check the
permissions again (an incident also needs the case rights)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from qalxan.domain.enums import AlertStatus
from qalxan.security.access import Permission as P
from qalxan.services import alerts, escalation
from qalxan.services.auth import SessionInfo
from qalxan.services.monitoring_schemas import AlertIncidentInput
from qalxan.web.deps import page, platform_of
from qalxan.web.ui.forms import form_values, staff_input
from qalxan.web.ui.i18n import N_
from qalxan.web.ui.rendering import redirect, render

router = APIRouter(include_in_schema=False)
NEEDS_ALERT_READ = page(P.ALERT_READ)
NEEDS_ALERT_ACT = page(P.ALERT_ACT)
PAGE = "/alerts"
PAGE_SIZE = 100
ALL = "all"
NOTICES = {"dismissed": N_("The alert was dismissed.")}


def status_filter(value: str) -> AlertStatus | None:
    """The status the queue shows: one of the alert statuses, ``all``, or open by default."""
    if value == ALL:
        return None
    try:
        return AlertStatus(value)
    except ValueError:
        return AlertStatus.OPEN


@router.get(PAGE, response_class=HTMLResponse)
async def alerts_page(request: Request, status: str = AlertStatus.OPEN.value, done: str = "",
                      number: int = Query(1, alias="page", ge=1, le=100_000),
                      info: SessionInfo = NEEDS_ALERT_READ) -> HTMLResponse:
    chosen = status_filter(status)
    rows = await platform_of(request).run_async(info.actor, alerts.list_alerts, chosen,
                                                PAGE_SIZE + 1, (number - 1) * PAGE_SIZE)
    shown = chosen.value if chosen else ALL

    def link(to: int) -> str:
        return f"{PAGE}?{urlencode({'status': shown, 'page': to})}"

    return render(request, "alerts.html", session=info, csrf_token=info.csrf_token,
                  alerts=rows[:PAGE_SIZE], statuses=[s.value for s in AlertStatus] + [ALL],
                  chosen=shown, notice=NOTICES.get(done),
                  previous=link(number - 1) if number > 1 else None,
                  next=link(number + 1) if len(rows) > PAGE_SIZE else None)


@router.get(PAGE + "/{alert_id}", response_class=HTMLResponse)
async def alert_page(alert_id: str, request: Request,
                     info: SessionInfo = NEEDS_ALERT_READ) -> HTMLResponse:
    found = await platform_of(request).run_async(info.actor, alerts.get_alert, alert_id)
    return render(request, "alert.html", session=info, csrf_token=info.csrf_token, alert=found)


@router.post(PAGE + "/{alert_id}/incident")
async def open_incident(alert_id: str, request: Request,
                        info: SessionInfo = NEEDS_ALERT_ACT) -> Response:
    """The alert becomes an incident on the case chosen (``case_id``), or on a new case."""
    data = staff_input(AlertIncidentInput, form_values(await request.form(), ("case_id",)))
    made = await platform_of(request).run_async(info.actor, escalation.open_incident, alert_id,
                                                data)
    return redirect(f"/cases/{made.case_id}#incidents")


@router.post(PAGE + "/{alert_id}/dismiss")
async def dismiss(alert_id: str, request: Request, info: SessionInfo = NEEDS_ALERT_ACT) -> Response:
    await platform_of(request).run_async(info.actor, alerts.dismiss_alert, alert_id)
    return redirect(PAGE + "?done=dismissed")
