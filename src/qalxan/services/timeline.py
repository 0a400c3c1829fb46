"""The case timeline: what happened to a case, when, by whom — codes and ids, never content."""

from __future__ import annotations

from typing import Any

from qalxan.services.context import Context
from qalxan.store.tables import TimelineEvent, new_id


def record(ctx: Context, case_id: str, event: str, **data: str) -> None:
    ctx.session.add(TimelineEvent(**event_row(ctx, case_id, event, **data)))


def event_row(ctx: Context, case_id: str, event: str, **data: str) -> dict[str, Any]:
    """A timeline event as a row, for calls that insert their rows themselves."""
    return {"id": new_id(), "case_id": case_id, "kind": event, "actor": ctx.actor.label,
            "data": data, "created_at": ctx.now()}
