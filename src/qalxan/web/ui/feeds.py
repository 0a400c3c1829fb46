"""Admin page: the indicator feeds (STIX 2.1) shipped and imported, with their indicator
counts and where they come from, and importing one by upload (``services/iocs.py``, which
``qalxan iocs`` uses too)."""

from __future__ import annotations

from pathlib import PurePath
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from qalxan.errors import InvalidInput
from qalxan.security.access import Permission as P
from qalxan.services import iocs
from qalxan.services.auth import SessionInfo
from qalxan.services.schemas import FeedInput
from qalxan.web.deps import page, platform_of
from qalxan.web.ui.forms import form_values, staff_input
from qalxan.web.ui.rendering import redirect, render
from qalxan.web.uploads import read_uploads

router = APIRouter(include_in_schema=False)
NEEDS_INSTANCE_MANAGE = page(P.INSTANCE_MANAGE)
PAGE = "/admin/iocs"


@router.get(PAGE, response_class=HTMLResponse)
async def feeds_page(request: Request, imported: str = "", indicators: int = 0,
                     info: SessionInfo = NEEDS_INSTANCE_MANAGE) -> HTMLResponse:
    feeds = await platform_of(request).run_async(info.actor, iocs.list_feeds)
    return render(request, "feeds.html", session=info, csrf_token=info.csrf_token, feeds=feeds,
                  imported=imported if any(f.file == imported for f in feeds) else "",
                  indicators=indicators)


@router.post(PAGE)
async def import_feed(request: Request, info: SessionInfo = NEEDS_INSTANCE_MANAGE) -> Response:
    platform = platform_of(request)
    form = await request.form()
    origin = staff_input(FeedInput, form_values(form, ("campaign", "report", "source",
                                                       "licence")))
    uploads = await read_uploads(form, platform.settings.max_upload_bytes, field="feed")
    if len(uploads) != 1:
        raise InvalidInput("choose one STIX 2.1 bundle to import")
    upload = uploads[0]
    count = await platform.run_async(info.actor, iocs.import_upload, upload.filename,
                                     upload.data, origin)
    name = PurePath(upload.filename).name
    return redirect(f"{PAGE}?{urlencode({'imported': name, 'indicators': count})}")
