"""The web application factory: REST API under /api/v1 and the server-rendered pages."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from starlette.concurrency import run_in_threadpool

from qalxan import __version__
from qalxan.security.access import SYSTEM
from qalxan.services import retention
from qalxan.services.context import Platform
from qalxan.services.schemas import ReportSubmission
from qalxan.web import problems
from qalxan.web.api import (
    accounts,
    alerts,
    cases,
    description,
    evidence,
    exports,
    intake,
    meta,
    sources,
    watchlist,
)
from qalxan.web.api.forged_requests import RESPONSES as FORGED_RESPONSES
from qalxan.web.api.forged_requests import refuse_forged_requests
from qalxan.web.logs import silence_parsers
from qalxan.web.middleware import BodyLimit, ClientAddress, SecurityHeaders
from qalxan.web.uploads import keep_uploads_in_memory, request_body_limit

log = logging.getLogger("qalxan.web")
API_PREFIX = "/api/v1"


def create_app(platform: Platform) -> FastAPI:
    app = FastAPI(
        title="Qalxan API", version=__version__, lifespan=_lifespan(platform),
        description="Secure intake, case management and evidence for protecting human rights "
                    "defenders. Errors are RFC 9457 problem documents.",
        openapi_url=f"{API_PREFIX}/openapi.json", docs_url=None, redoc_url=None,
    )
    app.state.platform = platform
    for module in (intake, cases, evidence, exports, accounts, watchlist, sources, alerts,
                   meta):
        app.include_router(module.router, prefix=API_PREFIX, responses=FORGED_RESPONSES,
                           dependencies=[Depends(refuse_forged_requests)])
    _mount_ui(app)
    _document_manual_bodies(app)
    problems.install(app)
    limit = request_body_limit(platform.settings)
    keep_uploads_in_memory(limit)
    silence_parsers()
    app.add_middleware(BodyLimit, limit=limit)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(ClientAddress, trusted=platform.settings.trusted_proxy_networks())
    return app


def _lifespan(platform: Platform) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Run the retention purge on its schedule for as long as the app serves."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(_purge_forever(platform))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return lifespan


async def _purge_forever(platform: Platform) -> None:
    minutes = platform.settings.purge_interval_minutes
    while minutes > 0:
        await asyncio.sleep(minutes * 60)
        try:
            report = await run_in_threadpool(platform.run, SYSTEM, retention.purge)
            log.info("retention purge: %d cases shredded", len(report.cases))
        except Exception as exc:  # keep serving; the next run tries again
            log.error("retention purge failed: %s", type(exc).__name__)


def _document_manual_bodies(app: FastAPI) -> None:
    """Add schemas of bodies that routes parse themselves (intake takes JSON or multipart),
    and every answer the API gives (``web/api/description.py``)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None or "ReportSubmission" not in app.openapi_schema.get(
                "components", {}).get("schemas", {}):
            doc = generate()
            schema = ReportSubmission.model_json_schema(
                ref_template="#/components/schemas/{model}")
            components = doc.setdefault("components", {}).setdefault("schemas", {})
            components.update(schema.pop("$defs", {}))
            components["ReportSubmission"] = schema
            app.openapi_schema = description.complete(app, doc)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _mount_ui(app: FastAPI) -> None:
    try:
        from qalxan.web.ui import routes
    except ModuleNotFoundError as exc:
        if exc.name != "qalxan.web.ui.routes":
            raise
        return
    routes.install(app)
