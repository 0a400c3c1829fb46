"""The watch-list: defenders the organisation watches public sources for."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from qalxan.security.access import Actor
from qalxan.security.access import Permission as P
from qalxan.services import watchlists
from qalxan.services.monitoring_schemas import WatchEntryInput, WatchEntrySummary, WatchEntryView
from qalxan.web.deps import api, platform_of

router = APIRouter(tags=["monitoring"])


@router.get("/watchlist", response_model=list[WatchEntrySummary])
def list_entries(request: Request,
                 actor: Actor = api(P.WATCHLIST_READ)) -> list[WatchEntrySummary]:
    """Entries by pseudonymous label, with their open alerts (no names here)."""
    return platform_of(request).run(actor, watchlists.list_entries)


@router.post("/watchlist", status_code=status.HTTP_201_CREATED, response_model=WatchEntryView)
def add_entry(body: WatchEntryInput, request: Request,
              actor: Actor = api(P.WATCHLIST_MANAGE)) -> WatchEntryView:
    """Watch for a defender: names, handles and aliases in any script (sealed at rest)."""
    return platform_of(request).run(actor, watchlists.add_entry, body)


@router.get("/watchlist/{entry_id}", response_model=WatchEntryView)
def get_entry(entry_id: str, request: Request,
              actor: Actor = api(P.WATCHLIST_READ)) -> WatchEntryView:
    """What is watched for. Names, aliases and contact details only for callers who may read
    a defender's identity (`reply:send`); for others they are empty and `withheld` lists
    the fields that hold something."""
    return platform_of(request).run(actor, watchlists.get_entry, entry_id)


@router.put("/watchlist/{entry_id}", response_model=WatchEntryView)
def update_entry(entry_id: str, body: WatchEntryInput, request: Request,
                 actor: Actor = api(P.WATCHLIST_MANAGE)) -> WatchEntryView:
    """Replace what is watched for; the entry keeps its alerts. A caller who may not read
    the identity keeps each name, alias or contact field they leave empty."""
    return platform_of(request).run(actor, watchlists.update_entry, entry_id, body)


@router.delete("/watchlist/{entry_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_entry(entry_id: str, request: Request,
                 actor: Actor = api(P.WATCHLIST_MANAGE)) -> Response:
    """Remove the entry with the posts and alerts kept about it (crypto-shredded)."""
    platform_of(request).run(actor, watchlists.remove_entry, entry_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
