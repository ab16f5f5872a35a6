"""Decoded snapshots kept per process, so that reading a long record's past does not parse and
rebuild the same snapshot (hundreds of kilobytes of JSON) on every read.

A stored snapshot never changes, so its decoded form stays right, with two cautions:
- a past version is rebuilt by replaying events onto the snapshot, which mutates it: every read
  starts from `private_copy` of the cached one (the object and each of its containers copied one
  level; the values in the containers are frozen, which `tests/integration/test_past_reads.py`
  checks on a real record);
- a snapshot holds personal fields unsealed under the person's key: an entry is trusted only as
  long as the keyring trusts that key (`Keyring.trusted_until`), and every entry is dropped
  whenever the keyring forgets its keys (an erasure recorded here, or seen in the log).
"""

from __future__ import annotations

import copy
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

T = TypeVar("T")
SIZE = 64
"""Entries kept: the snapshots of one or two long records (one per 50 events) or of many short
ones. A decoded snapshot of a 1,000-event record (~900 reports) holds about 0.7 MB, so the
bound is about 45 MB per process in the worst case; a short record's takes a few kilobytes."""


class DecodedSnapshots:
    """A bounded, least-recently-used map of (aggregate id, snapshot version) to the decoded
    aggregate, each entry until a monotonic time; safe to share between threads."""

    def __init__(self, size: int = SIZE, clock: Callable[[], float] = time.monotonic) -> None:
        self.size = size
        self.clock = clock
        self.entries: OrderedDict[tuple[UUID, int], tuple[Any, float]] = OrderedDict()
        self.lock = threading.Lock()
        self.clears = 0

    def get(self, aggregate_id: UUID, version: int) -> Any | None:
        """The decoded snapshot, or None (never cached, evicted, expired or forgotten)."""
        key = (aggregate_id, version)
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            if found[1] <= self.clock():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return found[0]

    def ticket(self) -> int:
        """Taken before decoding: a `put` with it is refused if the entries were cleared since
        (an erasure in between, whose key the decoding may have used just before)."""
        return self.clears

    def put(
        self, aggregate_id: UUID, version: int, decoded: Any, until: float, ticket: int
    ) -> None:
        """Keeps a decoded snapshot until `until` (a time of `clock`); evicts the least recently
        used entry beyond the bound."""
        if self.size <= 0 or until <= self.clock():
            return
        with self.lock:
            if ticket != self.clears:
                return
            self.entries[aggregate_id, version] = (decoded, until)
            self.entries.move_to_end((aggregate_id, version))
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        """Drops every entry (the keys they were unsealed under may be destroyed)."""
        with self.lock:
            self.entries.clear()
            self.clears += 1

    def __contains__(self, key: tuple[UUID, int]) -> bool:
        return self.get(*key) is not None


def private_copy(record: T) -> T:
    """A copy of a decoded record that events can be replayed onto without changing `record`:
    the object, and each list, dict or set it holds copied one level. Enough because what the
    containers hold is frozen (value objects, strings, numbers, dates): an event replaces an
    item, it never changes one in place."""
    copied = copy.copy(record)
    state = vars(copied)
    for name, value in state.items():
        if isinstance(value, list | dict | set):
            state[name] = copy.copy(value)
    return copied
