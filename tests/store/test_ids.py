"""Row ids: time-ordered UUIDs (version 7) with a random part from the system's source."""

from __future__ import annotations

import time
import uuid

from qalxan.store.tables import new_id


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
