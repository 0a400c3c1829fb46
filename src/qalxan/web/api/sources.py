"""Monitored public sources (Mastodon timelines, feeds, export files)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from qalxan.security.access import Actor
from qalxan.security.access import Permission as P
from qalxan.services import monitor
from qalxan.services.monitoring_schemas import SourceInput, SourceView
from qalxan.services.schemas import Input
from qalxan.web.deps import api, platform_of

router = APIRouter(tags=["monitoring"])


class SourceState(Input):
    active: bool


@router.get("/monitor/sources", response_model=list[SourceView])
def list_sources(request: Request, actor: Actor = api(P.MONITOR_MANAGE)) -> list[SourceView]:
    return platform_of(request).run(actor, monitor.list_sources)


@router.post("/monitor/sources", status_code=status.HTTP_201_CREATED, response_model=SourceView)
def add_source(body: SourceInput, request: Request,
               actor: Actor = api(P.MONITOR_MANAGE)) -> SourceView:
    """Add a source; its kind and params are checked (see `qalxan monitor kinds`)."""
    return platform_of(request).run(actor, monitor.add_source, body)


@router.patch("/monitor/sources/{source_id}", response_model=SourceView)
def set_state(source_id: str, body: SourceState, request: Request,
              actor: Actor = api(P.MONITOR_MANAGE)) -> SourceView:
    """Pause or resume a source."""
    return platform_of(request).run(actor, monitor.set_source_active, source_id, body.active)


@router.delete("/monitor/sources/{source_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_source(source_id: str, request: Request,
                  actor: Actor = api(P.MONITOR_MANAGE)) -> Response:
    platform_of(request).run(actor, monitor.remove_source, source_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
