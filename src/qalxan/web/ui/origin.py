"""Refusing cross-site posts to the public forms (intake, follow-up, sign-in).

Public forms carry no session and so no CSRF token; instead, the browser's own signals
about where a post comes from are checked:

- ``Sec-Fetch-Site`` (sent by current browsers, whatever the referrer policy): only
  ``same-origin`` and ``none`` (typed or bookmarked) are accepted, and it alone decides, so a
  reverse proxy that rewrites ``Host`` does not matter;
- otherwise (older browsers) ``Origin`` is compared with ``Host``: a foreign origin is
  refused; a missing ``Origin`` and the opaque ``null`` (what browsers send under
  ``Referrer-Policy: no-referrer``) are accepted, so older browsers still work; a
  ``Referer``, when present, must not be foreign either.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request

from qalxan.errors import PermissionDenied

ACCEPTED_FETCH_SITES = frozenset({"same-origin", "none"})
REFUSAL = "this form was sent from another site; open the page here and try again"


def _foreign(url: str | None, host: str) -> bool:
    if url is None or url.strip() in ("", "null"):
        return False
    return urlsplit(url.strip()).netloc.lower() != host


def require_same_origin(request: Request, refusal: str = REFUSAL) -> None:
    """Raise ``PermissionDenied`` when a post evidently comes from another site."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:  # set by the browser itself; pages cannot forge it
        if fetch_site.strip().lower() not in ACCEPTED_FETCH_SITES:
            raise PermissionDenied(refusal)
        return
    host = request.headers.get("host", "").lower()
    if _foreign(request.headers.get("origin"), host) or \
            _foreign(request.headers.get("referer"), host):
        raise PermissionDenied(refusal)
