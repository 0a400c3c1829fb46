"""Where links lead back to: from a failed action to its case or form, and from the language
switcher to the page it was used on (a plain local path, never a full URL).
"""

from __future__ import annotations

import re

from fastapi import Request

CASE_ACTION = re.compile(r"^/cases/([0-9A-Za-z-]{1,64})/[a-z/]+$")
PUBLIC_BACK = {"/report": "/report", "/followup": "/followup", "/followup/add": "/followup",
               "/followup/review": "/followup",
               "/login": "/login", "/login/totp": "/login"}
STAFF_SECTION = re.compile(r"^(/admin/[a-z-]+|/account/sessions|/account/tokens|/monitor/sources"
                           r"|/alerts|/watchlist)(?:/|$)")
STAFF_ITEM = re.compile(r"^(/(?:alerts|watchlist)/[0-9A-Za-z-]{1,64})/[a-z/]+$")
LOCAL_PATH = re.compile(r"^/(?:[A-Za-z0-9_-][A-Za-z0-9_./-]{0,200})?$")


def back_link(path: str) -> str:
    """Where to go back to from a failed action: its case, its public form, or the start."""
    case = CASE_ACTION.match(path)
    if case:
        return f"/cases/{case.group(1)}"
    if path.startswith(("/cases", "/evidence", "/defenders")):
        return "/cases"
    item = STAFF_ITEM.match(path)
    if item:
        return item.group(1)
    section = STAFF_SECTION.match(path)
    if section:
        return section.group(1)
    return PUBLIC_BACK.get(path, "/")


def here(request: Request) -> str:
    """The page to show again after switching language: this one, or for an answer to a
    form post (which cannot be repeated by a link) the page the form is on."""
    path = request.url.path
    return path if request.method == "GET" else back_link(path)


def safe_local(path: str | None) -> str:
    """``path`` when it is a plain path on this site, else the start page (no open redirect)."""
    if path and LOCAL_PATH.match(path) and "//" not in path and ".." not in path:
        return path
    return "/"
