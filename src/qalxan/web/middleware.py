"""ASGI middleware: strict security headers on every response, a cap on request bodies, and
the client address as seen through trusted reverse proxies."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qalxan.errors import PayloadTooLarge

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'")
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"strict-transport-security", b"max-age=63072000"),
)
STATIC_PREFIX = "/static/"


class SecurityHeaders:
    """Adds the security headers; everything but static assets is also ``no-store``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = str(scope.get("path", "")).startswith(STATIC_PREFIX)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"cache-control" or cacheable]
                headers.extend(SECURITY_HEADERS)
                if not cacheable:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes, before they are parsed: with a 413 problem
    on the API, and on the pages with the app's HTML error page (``app.state.error_page``)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = scope.get("app")
        page = getattr(getattr(app, "state", None), "error_page", None)
        if page is None or str(scope.get("path", "")).startswith("/api/"):
            await _too_large(send, self.limit)
            return
        exc = PayloadTooLarge(f"requests may have at most {self.limit} bytes")
        response = page(Request(scope), exc, 413)
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body: dict[str, Any] = {"type": "urn:qalxan:problem:payload-too-large",
                            "title": "Request too large", "status": 413,
                            "detail": f"requests may have at most {limit} bytes"}
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/problem+json")]})
    await send({"type": "http.response.body", "body": json.dumps(body).encode()})


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(peer: str, forwarded_for: Sequence[str],
                   trusted: Sequence[Network]) -> str:
    """The client's address: the TCP peer, unless the peer is a trusted proxy; then the
    nearest address in ``X-Forwarded-For`` (read right to left) that is not one of them.

    Entries a trusted proxy did not append (everything left of the first untrusted one) are
    the client's own words and are never believed: a client cannot choose its address.
    """
    hop = _address(peer)
    if hop is None or not any(hop in network for network in trusted):
        return peer
    entries = [e for header in forwarded_for for e in header.split(",") if e.strip()]
    for entry in reversed(entries):
        found = _address(entry)
        if found is None:
            break  # garbled: keep the last hop that a trusted proxy vouched for
        hop = found
        if not any(hop in network for network in trusted):
            break
    return str(hop)


class ClientAddress:
    """Puts the client address (:func:`client_address`) in the request's scope, for the
    sign-in throttle and anything else that asks ``request.client``."""

    def __init__(self, app: ASGIApp, trusted: Sequence[Network]) -> None:
        self.app = app
        self.trusted = tuple(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.trusted and scope.get("client"):
            host, port = scope["client"]
            forwarded = [v.decode("latin-1") for k, v in scope.get("headers", [])
                         if k.lower() == b"x-forwarded-for"]
            scope = dict(scope, client=(client_address(host, forwarded, self.trusted), port))
        await self.app(scope, receive, send)
