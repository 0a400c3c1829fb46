"""What the OpenAPI document promises, made true to what the API answers.

FastAPI describes each operation's success and its request-validation error. The API answers
more than that, always through :mod:`qalxan.web.problems`: every error is a problem document,
an unknown or invisible id is a 404, a malformed body a 400, a conflict a 409, and so on.
This module adds those answers to every operation, with their media type and a schema of the
problem document, replaces FastAPI's 422 (``application/json``) by ours, and declares bearer
authentication on the operations that take a token. ``tests/fuzz/test_api_fuzz.py`` holds
the API to it with schemathesis' conformance checks.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from qalxan.web.deps import ApiRequirement
from qalxan.web.problems import MEDIA_TYPE

BEARER = "bearerAuth"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "An RFC 9457 problem document; it never echoes submitted content.",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"},
        "status": {"type": "integer"}, "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "message": {"type": "string"}}}},
    },
}
EVERY_OPERATION = {
    401: "No valid token: sign in or present an API token",
    403: "Refused: not permitted, a recent sign-in needed, or sent from another site",
    422: "The input is not valid (each field with its message, never its value)",
    429: "Too many attempts: wait as Retry-After says",
    503: "Not available now (no instance key, capacity reached): retry later",
}
# an id in the path, or in the body of a write (a case to watch for, a receipt code)
NAMES_A_RECORD = {404: "No such record, or one the caller may not see (the same answer)"}
WITH_BODY = {
    400: "The body is not well-formed JSON or multipart",
    409: "Conflicts with the record's state (a workflow step, a name taken, a consent missing)",
    413: "The body or a file is too large",
    415: "The body's content type is not one this operation takes",
}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {MEDIA_TYPE: {"schema": PROBLEM_REF}}}


def _answers(path: str, method: str) -> dict[int, str]:
    answers = dict(EVERY_OPERATION)
    writes = method in {"post", "put", "patch", "delete"}
    if "{" in path or writes:
        answers |= NAMES_A_RECORD
    if writes:
        answers |= WITH_BODY
    return answers


def _token_operations(app: FastAPI) -> set[tuple[str, str]]:
    """(path, method) of every operation that takes a bearer token."""
    found: set[tuple[str, str]] = set()
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and any(
                isinstance(d.call, ApiRequirement) for d in route.dependant.dependencies):
            found |= {(route.path_format if context.path is None else context.path, m.lower())
                      for m in route.methods or ()}
    return found


def complete(app: FastAPI, doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with the problem answers, the problem schema and bearer authentication."""
    components = doc.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    components.setdefault("securitySchemes", {})[BEARER] = {
        "type": "http", "scheme": "bearer",
        "description": "An API token (qlx_...), made on /account/tokens"}
    with_token = _token_operations(app)
    for path, operations in doc.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status, description in _answers(path, method).items():
                current = responses.get(str(status))
                responses[str(status)] = _problem(
                    current["description"] if current and status != 422 else description)
            if (path, method) in with_token:
                operation["security"] = [{BEARER: []}]
    return doc
