"""Reading a secondment as it was: at a moment, on a business day, and its events page by page."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent as Row

from domain import history
from domain.errors import NotFound, SecondmentNotFound
from domain.positions import positioned_page, rows_at, spread
from domain.recorded import StoredEvent
from domain.registry_base import RegistryBase
from domain.secondment import Secondment

PROBES = 32
"""Events read per step of `as_of`'s search: a query of 32 small rows costs about what one of
one row does, and two steps cover a thousand versions (1,024)."""


class Reads(RegistryBase):
    """History reads of one secondment."""

    def as_of(self, secondment_id: UUID, at: datetime) -> Secondment:
        """The secondment as it was recorded at a moment (the latest event at or before it).

        Finds that event's version by searching the recorded times: one query reads the latest
        event and up to `PROBES` evenly spaced below it, each further query up to `PROBES`
        evenly spaced in the range left (one more for a thousand events); then rebuilds that
        version (from a snapshot when there is one)."""
        if at.tzinfo is None:
            raise ValueError("as_of needs an aware timestamp")
        times = self._recorded_at(spread(self.recorder, secondment_id, PROBES))
        if not times:
            raise SecondmentNotFound(secondment_id)
        low, high = 0, max(times)
        while True:
            low = max((v for v, t in times.items() if t <= at), default=low)
            high = min((v - 1 for v, t in times.items() if t > at), default=high)
            if low >= high:
                break
            step = -(-(high - low) // PROBES)
            probes = range(high, low, -step)
            times = self._recorded_at(rows_at(self.recorder, secondment_id, probes))
        if low == 0:
            raise NotFound("secondment as of", at.isoformat())
        return self.get(secondment_id, version=low)

    def on(self, secondment_id: UUID, day: date, known_at: datetime | None = None) -> Secondment:
        """The secondment at the end of business day `day`, with everything known now (or as
        recorded by `known_at`); NotFound when it did not exist yet."""
        if known_at is not None and known_at.tzinfo is None:
            raise ValueError("known_at needs an aware timestamp")
        found = history.on_day(self.events.get(secondment_id), day, known_at)
        if found is None:
            self.get(secondment_id)
            raise NotFound("secondment on", day.isoformat())
        assert isinstance(found, Secondment)
        return found

    def _recorded_at(self, rows: list[Row]) -> dict[int, datetime]:
        """When each of these stored events was recorded, by version."""
        return {row.originator_version: self._timestamp(row) for row in rows}

    def _timestamp(self, row: Row) -> datetime:
        """The event's recorded time, read from its JSON alone: decoding the whole event (our
        value objects, personal fields) cost four times as much; the mapper still reads a row
        stored in another shape."""
        try:
            stamp = json.loads(row.state)["timestamp"]
            if stamp["_type_"] == "datetime_iso":
                return datetime.fromisoformat(stamp["_data_"])
        except (ValueError, KeyError, TypeError):
            pass
        event: Any = self.mapper.to_domain_event(row)
        recorded: datetime = event.timestamp
        return recorded

    def history(
        self, secondment_id: UUID, after_version: int = 0, limit: int = 50
    ) -> list[StoredEvent]:
        """A page of one secondment's events, oldest first, with their log positions.

        One query reads the page and its positions; the first version is read only when the
        page is empty or not a secondment's, to tell a missing record."""
        page = [
            (at, self.mapper.to_domain_event(row))
            for at, row in positioned_page(self.recorder, secondment_id, after_version, limit)
        ]
        if not page or not all(isinstance(e, Secondment.Event) for _, e in page):
            self.get(secondment_id, version=1)
            if page:
                raise SecondmentNotFound(secondment_id)
        return [StoredEvent(at, e) for at, e in page]
