"""Errors on pages: a sign-in redirect, or a small HTML page; the API keeps its problem JSON.

``qalxan.web.problems`` maps every error in one place and asks ``render_error_page`` for
the answer to a request outside ``/api/``.
"""

from __future__ import annotations

import re

from fastapi import Request, Response

from qalxan.errors import NotAuthenticated, QalxanError
from qalxan.web.ui.i18n import N_
from qalxan.web.ui.rendering import redirect, render

CASE_ACTION = re.compile(r"^/cases/([0-9A-Za-z-]{1,64})/[a-z/]+$")
PUBLIC_BACK = {"/report": "/report", "/followup": "/followup", "/followup/add": "/followup",
               "/login": "/login", "/login/totp": "/login"}
TITLES = {
    400: N_("The request could not be handled"),
    401: N_("Please sign in"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Not allowed"),
    409: N_("This cannot be done now"),
    413: N_("Too large"),
    415: N_("File type not allowed"),
    422: N_("Please check your input"),
    429: N_("Too many attempts"),
}
FALLBACK_TITLE = N_("Something went wrong")
NOTHING_CHANGED = N_("Nothing was changed.")
GENERIC_DETAILS = {
    404: N_("There is no page at this address, or you may not see it."),
    422: N_("Some of the values sent are not valid."),
    500: N_("The server could not complete the request."),
}


def _detail(exc: Exception, status: int) -> str | None:
    """A domain error's own message (written for the requester, never report content)."""
    if isinstance(exc, QalxanError) and status < 500:
        return exc.detail
    return None


def back_link(path: str) -> str:
    """Where to go back to from a failed action: its case, its public form, or the start."""
    case = CASE_ACTION.match(path)
    if case:
        return f"/cases/{case.group(1)}"
    if path.startswith(("/cases", "/evidence")):
        return "/cases"
    return PUBLIC_BACK.get(path, "/")


def render_error_page(request: Request, exc: Exception, status: int) -> Response:
    if isinstance(exc, NotAuthenticated):
        return redirect("/login")
    return render(request, "error.html", status=status,
                  title=TITLES.get(status, FALLBACK_TITLE), detail=_detail(exc, status),
                  generic=GENERIC_DETAILS.get(status, NOTHING_CHANGED),
                  back=back_link(request.url.path))
