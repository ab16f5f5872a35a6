"""Past versions of a record, rebuilt from a decoded snapshot kept in memory.

The library rebuilds `get(id, version=N)` by reading and decoding the latest snapshot at or
below N on every call; for a record with hundreds of reports that decoding is nearly all of a
history read. Here one query asks the snapshot's version (without reading it) and the events
after it, and the snapshot is read and decoded only when `DecodedSnapshots` does not hold it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    ProjectorFunction,
    Repository,
    project_aggregate,
)
from eventsourcing.persistence import EventStore

from domain.decoded_snapshots import DecodedSnapshots, private_copy
from domain.positions import is_sql, past_rows

Trust = Callable[[UUID], float | None]
"""Until when (a monotonic time) a record's decoded personal data may be served; None: do
not keep it."""


class PastRepository(Repository[UUID]):
    """The library's repository; past versions of the `kinds` given start from a cached
    decoded snapshot (a private copy of it), current versions are read as the library does."""

    def __init__(
        self,
        event_store: EventStore[UUID],
        snapshot_store: EventStore[UUID] | None,
        decoded: DecodedSnapshots,
        trust: Trust,
        kinds: tuple[type[Any], ...],
    ) -> None:
        super().__init__(event_store, snapshot_store=snapshot_store)
        self.decoded = decoded
        self.trust = trust
        self.kinds = kinds

    def get(
        self,
        aggregate_id: UUID,
        *,
        version: int | None = None,
        projector_func: ProjectorFunction[Any, Any] = project_aggregate,
        fastforward_skipping: bool = False,
        deepcopy_from_cache: bool = True,
    ) -> Any:
        snapshots = self.snapshot_store
        if (
            version is None
            or snapshots is None
            or projector_func is not project_aggregate
            or not is_sql(snapshots.recorder)
        ):
            return super().get(
                aggregate_id,
                version=version,
                projector_func=projector_func,
                fastforward_skipping=fastforward_skipping,
                deepcopy_from_cache=deepcopy_from_cache,
            )
        at, rows = past_rows(self.event_store.recorder, snapshots.recorder, aggregate_id, version)
        start = None if at is None else self._snapshot(snapshots, aggregate_id, at)
        found = replayed(start, map(self.event_store.mapper.to_domain_event, rows))
        if found is None:
            raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} version {version} not found.")
        return found

    def _snapshot(self, snapshots: EventStore[UUID], aggregate_id: UUID, at: int) -> Any:
        """A private copy of the decoded snapshot at version `at`, decoded on a miss (and kept
        when its kind may be, until its personal key must be looked up again)."""
        cached = self.decoded.get(aggregate_id, at)
        if cached is not None:
            return private_copy(cached)
        ticket = self.decoded.ticket()
        stored = list(snapshots.get(aggregate_id, gt=at - 1, lte=at))
        if not stored:
            return None
        decoded = replayed(None, stored)
        if type(decoded) not in self.kinds:
            return decoded
        until = self.trust(aggregate_id)  # the key decoding just used, cached until then
        if until is None:
            return decoded
        self.decoded.put(aggregate_id, at, decoded, until, ticket)
        return private_copy(decoded)


def replayed(record: Any, events: Iterable[Any]) -> Any:
    """The record after these events (None: no record yet): the library's `project_aggregate`
    without its check of each event against a runtime-checkable protocol, which on Python 3.11
    costs about 75 µs an event, as much as decoding it."""
    for event in events:
        record = event.mutate(record)
    return record
