"""What the stored times of a defender's writes tell: the minute, not the millisecond.

Rows a defender makes (a report and everything it becomes, a follow-up message, a review)
and the audit events of those calls are stamped to the start of their minute, and the
time-ordered ids made meanwhile carry the minute too (``store.tables.ids_to_the_minute``);
the rows whose ids leave the database get random ids instead. An exact time would let
someone holding the database match a report to the moment a watched person was seen
sending something. The minute keeps what the work needs: the queue's order, the follow-up
thread's order (to within a minute), service times in hours, retention in days.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]
_TICK = timedelta(microseconds=1)


def to_the_minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)


def minute_clock(clock: Clock, not_before: datetime | None = None) -> Clock:
    """``clock``, read to the minute; but never earlier than just after ``not_before`` (the
    last change of the case a defender writes to), so what the defender adds still comes
    after the replies and changes that came before it, and tells no more than that."""
    if not_before is None:
        return lambda: to_the_minute(clock())
    after = (not_before if not_before.tzinfo else not_before.replace(tzinfo=UTC)) + _TICK
    return lambda: max(to_the_minute(clock()), after)
