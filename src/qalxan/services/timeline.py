"""The case timeline: what happened to a case, when, by whom — codes and ids, never content."""

from __future__ import annotations

from qalxan.services.context import Context
from qalxan.store.tables import TimelineEvent


def record(ctx: Context, case_id: str, event: str, **data: str) -> None:
    ctx.session.add(TimelineEvent(case_id=case_id, kind=event, actor=ctx.actor.label, data=data,
                                  created_at=ctx.now()))
