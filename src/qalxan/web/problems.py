"""Every error as an RFC 9457 problem document, mapped from domain errors in one place.

Validation messages never echo the submitted values, which may be report content.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from qalxan.errors import MalformedJson, QalxanError

MEDIA_TYPE = "application/problem+json"
API_PATH = "/api/"
log = logging.getLogger("qalxan.web")
ErrorPage = Callable[[Request, Exception, int], Response]
"""Renders an error for the pages (outside /api/); set as ``app.state.error_page``."""


def problem(status: int, slug: str, title: str, detail: str,
            extra: dict[str, Any] | None = None,
            retry_after: float | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": f"urn:qalxan:problem:{slug}", "title": title,
                            "status": status, "detail": detail}
    if extra:
        body.update(extra)
    headers = {"Cache-Control": "no-store"}
    if retry_after is not None:
        headers["Retry-After"] = retry_after_header(retry_after)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def retry_after_header(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def validation_errors(errors: list[Any]) -> list[dict[str, str]]:
    """Field and message for each error, without the offending input."""
    return [{"field": _field(tuple(e.get("loc", ()))), "message": str(e.get("msg", "invalid"))}
            for e in errors]


def _page(request: Request, exc: Exception, status: int) -> Response | None:
    render: ErrorPage | None = getattr(request.app.state, "error_page", None)
    if render is None or request.url.path.startswith(API_PATH):
        return None
    return render(request, exc, status)


async def _domain(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, QalxanError)
    return _page(request, exc, exc.status) or problem(exc.status, exc.slug, exc.title,
                                                      exc.detail, retry_after=exc.retry_after)


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if (page := _page(request, exc, 422)) is not None:
        return page
    errors = validation_errors(list(exc.errors()))
    if any(e["message"].startswith("JSON decode error") for e in errors):
        return await _domain(request, MalformedJson("the request body is not valid JSON"))
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(422, "invalid-input", "Invalid input", detail, {"errors": errors})


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if (page := _page(request, exc, exc.status_code)) is not None:
        return page
    slug = {404: "not-found", 405: "method-not-allowed", 413: "payload-too-large"}.get(
        exc.status_code, "http-error")
    return problem(exc.status_code, slug, str(exc.detail), str(exc.detail))


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.error("unexpected error: %s", type(exc).__name__)  # no message: it may carry content
    return _page(request, exc, 500) or problem(
        500, "internal-error", "Internal error",
        "the server could not complete the request; nothing was changed")


def install(app: FastAPI) -> None:
    app.add_exception_handler(QalxanError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
