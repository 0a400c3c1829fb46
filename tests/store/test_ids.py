"""Row ids: time-ordered UUIDs (version 7) with a random part from the system's source."""

from __future__ import annotations

import time
import uuid

from qalxan.store.tables import ids_to_the_minute, new_id, new_random_id


def test_ids_are_version_7_uuids_carrying_the_millisecond_they_were_made() -> None:
    before = time.time_ns() // 1_000_000
    made = uuid.UUID(new_id())
    after = time.time_ns() // 1_000_000
    assert made.version == 7 and made.variant == uuid.RFC_4122
    assert before <= made.int >> 80 <= after
    assert len(str(made)) == 36  # the same shape as the ids stored before


def test_ids_made_later_sort_later_so_new_rows_go_to_the_end_of_an_index() -> None:
    first = new_id()
    time.sleep(0.002)
    assert first < new_id()


def test_ids_made_in_the_same_millisecond_differ_in_their_random_part() -> None:
    ids = [new_id() for _ in range(10_000)]
    assert len(set(ids)) == len(ids)
    random_bits = {uuid.UUID(i).int & ((1 << 62) - 1) for i in ids}
    assert len(random_bits) == len(ids)
    assert len({uuid.UUID(i).int >> 64 & 0xFFF for i in ids}) > 3_000  # 12 more random bits


def test_the_ids_of_a_defenders_rows_tell_the_minute_at_most() -> None:
    """Review finding 17: the rows whose ids leave the database get random ids; the others
    made while a defender's writes are prepared tell the minute, not the millisecond."""
    assert {uuid.UUID(new_random_id()).version for _ in range(100)} == {4}
    with ids_to_the_minute():
        dated = [uuid.UUID(new_id()) for _ in range(100)]
    assert {made.version for made in dated} == {7}
    assert {(made.int >> 80) % 60_000 for made in dated} == {0}
    assert len({made.int for made in dated}) == 100
    outside = []
    for _ in range(3):  # outside the block again: the millisecond
        outside.append((uuid.UUID(new_id()).int >> 80) % 60_000)
        time.sleep(0.002)
    assert set(outside) != {0}
