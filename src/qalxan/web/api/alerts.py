"""Alerts raised by monitoring, and the one action that makes one an incident."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request, status

from qalxan.domain.enums import AlertStatus
from qalxan.security.access import Actor
from qalxan.security.access import Permission as P
from qalxan.services import alerts, escalation
from qalxan.services.monitoring_schemas import (
    AlertIncidentInput,
    AlertSummary,
    AlertView,
    IncidentCreated,
)
from qalxan.web.deps import api, platform_of

router = APIRouter(tags=["monitoring"])


@router.get("/alerts", response_model=list[AlertSummary])
def list_alerts(request: Request, actor: Actor = api(P.ALERT_READ),
                status: AlertStatus | Literal["all"] = AlertStatus.OPEN,
                limit: int = Query(100, ge=1, le=500),
                offset: int = Query(0, ge=0, le=10_000_000)) -> list[AlertSummary]:
    """Alerts with physical risk first, then by latest post (open ones unless asked);
    ``offset`` pages through them."""
    wanted = None if status == "all" else AlertStatus(status)
    return platform_of(request).run(actor, alerts.list_alerts, wanted, limit, offset)


@router.get("/alerts/{alert_id}", response_model=AlertView)
def get_alert(alert_id: str, request: Request, actor: Actor = api(P.ALERT_READ)) -> AlertView:
    """The alert with its evidence: each post as captured, its hash and capture time."""
    return platform_of(request).run(actor, alerts.get_alert, alert_id)


@router.post("/alerts/{alert_id}/dismiss", response_model=AlertSummary)
def dismiss(alert_id: str, request: Request, actor: Actor = api(P.ALERT_ACT)) -> AlertSummary:
    return platform_of(request).run(actor, alerts.dismiss_alert, alert_id)


@router.post("/alerts/{alert_id}/incident", status_code=status.HTTP_201_CREATED,
             response_model=IncidentCreated)
def open_incident(alert_id: str, body: AlertIncidentInput, request: Request,
                  actor: Actor = api(P.ALERT_ACT)) -> IncidentCreated:
    """Make the alert an incident on case `case_id` (the defender's), or on a new case
    when `case_id` is empty. Needs the case permissions too."""
    return platform_of(request).run(actor, escalation.open_incident, alert_id, body)
