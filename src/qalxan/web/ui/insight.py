"""The dashboard: cases by threat type, country and week, as server-drawn charts with their
numbers, for every staff role including mission observers (aggregates only)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from qalxan.security.access import Permission as P
from qalxan.services import aggregates
from qalxan.services.auth import SessionInfo
from qalxan.web.deps import page, platform_of
from qalxan.web.ui import charts
from qalxan.web.ui.i18n import territories
from qalxan.web.ui.rendering import language_of, render

router = APIRouter(include_in_schema=False)
NEEDS_AGGREGATES = page(P.AGGREGATE_READ)
WEEKS = 12


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, info: SessionInfo = NEEDS_AGGREGATES) -> HTMLResponse:
    counts = platform_of(request).run(info.actor, aggregates.case_counts, WEEKS)
    return render(request, "dashboard.html", session=info, csrf_token=info.csrf_token,
                  counts=counts, threats=charts.bars(counts.by_threat),
                  countries=charts.bars(counts.by_country), weeks=charts.columns(counts.by_week),
                  country_names=dict(territories(language_of(request))),
                  small=aggregates.SMALL_COUNT, height=charts.COLUMN_HEIGHT)
