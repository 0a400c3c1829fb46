"""Errors on pages: a sign-in redirect, or a small HTML page; the API keeps its problem JSON.

``qalxan.web.problems`` maps every error in one place and asks ``render_error_page`` for
the answer to a request outside ``/api/``.
"""

from __future__ import annotations

from fastapi import Request, Response

from qalxan.errors import NotAuthenticated, QalxanError, ReauthenticationRequired
from qalxan.web.ui.confirm import confirm_link
from qalxan.web.ui.i18n import N_
from qalxan.web.ui.navigation import back_link
from qalxan.web.ui.rendering import redirect, render

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
DEFENDER_PATHS = frozenset({"/", "/report", "/followup", "/followup/add", "/followup/review",
                            "/language"})
DEFENDER_DETAILS = {  # on the defender's pages the service's English detail is left out
    403: N_("This form was sent from another site. Open this site's own page and try again."),
    413: N_("A file is too large. Nothing was sent: please attach smaller files."),
}
GENERIC_DETAILS = {
    404: N_("There is no page at this address, or you may not see it."),
    422: N_("Some of the values sent are not valid."),
    500: N_("The server could not complete the request."),
}


def _detail(exc: Exception, status: int, path: str) -> str | None:
    """A domain error's own message (written for the requester, never report content); staff
    pages only, as these messages are in English."""
    if isinstance(exc, QalxanError) and status < 500 and path not in DEFENDER_PATHS:
        return exc.detail
    return None


def _generic(status: int, path: str) -> str:
    if path in DEFENDER_PATHS and status in DEFENDER_DETAILS:
        return DEFENDER_DETAILS[status]
    return GENERIC_DETAILS.get(status, NOTHING_CHANGED)


def render_error_page(request: Request, exc: Exception, status: int) -> Response:
    enhanced = request.headers.get("hx-request") == "true"  # a form sent by htmx
    if isinstance(exc, NotAuthenticated):
        return Response(headers={"HX-Redirect": "/login"}) if enhanced else redirect("/login")
    path = request.url.path
    if isinstance(exc, ReauthenticationRequired):
        target = confirm_link(back_link(path))
        return Response(headers={"HX-Redirect": target}) if enhanced else redirect(target)
    page = render(request, "error.html", status=status,
                  title=TITLES.get(status, FALLBACK_TITLE), detail=_detail(exc, status, path),
                  generic=_generic(status, path), back=back_link(path))
    if enhanced:  # show the error page's main part in place of the page's
        page.headers.update({"HX-Retarget": "#main", "HX-Reselect": "#main",
                             "HX-Reswap": "outerHTML"})
    return page
