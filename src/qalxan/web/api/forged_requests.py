"""Refusing API requests another website could make a visitor's browser send.

A web page can make its visitors' browsers post to any address without asking anyone: a
form, or a script's ``fetch`` with a "simple" body (``text/plain``, a form, or no content
type at all). Such a post to the intake would file a report from the visitor's browser. So
every API call that sends a body must say what it sends with a content type its route
documents (``application/json``, and ``multipart/form-data`` where files are uploaded),
which a simple cross-site request cannot, and a post that the browser itself marks as coming
from another site (``Sec-Fetch-Site``, or a foreign ``Origin``) is refused, as on the
public forms (:mod:`qalxan.web.ui.origin`). Clients that are not browsers (integrations,
scripts) send neither header and are not affected.
"""

from __future__ import annotations

from email.message import Message
from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute

from qalxan.errors import UnsupportedContentType
from qalxan.web.ui.origin import require_same_origin

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON = "application/json"
REFUSAL = "this request was sent from a page of another site"


def documented_types(route: Any) -> frozenset[str]:
    """The body types a route takes: JSON, and those its OpenAPI entry adds."""
    extra = getattr(route, "openapi_extra", None) or {}
    content = extra.get("requestBody", {}).get("content", {})
    return frozenset({JSON, *content})


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return bool(request.headers.get("transfer-encoding")) or (
        length is not None and length.strip() not in ("", "0"))


def _media_type(value: str) -> str:
    message = Message()
    message["content-type"] = value
    return message.get_content_type() if value.strip() else ""


def refuse_forged_requests(request: Request) -> None:
    """Router dependency of every API route (see module docstring)."""
    if request.method not in UNSAFE:
        return
    require_same_origin(request, REFUSAL)
    if not _has_body(request):
        return
    route = request.scope.get("route")
    accepted = documented_types(route) if isinstance(route, APIRoute) else frozenset({JSON})
    sent = _media_type(request.headers.get("content-type", ""))
    if sent in accepted or (sent.startswith("application/") and sent.endswith("+json")
                            and JSON in accepted):
        return
    raise UnsupportedContentType(
        f"send the body as {' or '.join(sorted(accepted))} (with that Content-Type)")


PROBLEM_CONTENT = {"application/problem+json": {"schema": {"type": "object"}}}
RESPONSES: dict[int | str, dict[str, Any]] = {
    403: {"description": "Refused: sent from a page of another site, or not permitted",
          "content": PROBLEM_CONTENT},
    415: {"description": "The body's content type is not one this operation takes",
          "content": PROBLEM_CONTENT},
}
