"""Records already loaded by the caller, handed to the commands that follow in the same thread
so that they do not load them again."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar
from uuid import UUID

T = TypeVar("T")


class Held(Generic[T]):
    """Per thread: the latest loaded (or saved) record of each id a caller holds."""

    def __init__(self) -> None:
        self.local = threading.local()

    def _records(self) -> dict[UUID, T]:
        records: dict[UUID, T] | None = getattr(self.local, "records", None)
        if records is None:
            records = self.local.records = {}
        return records

    @contextmanager
    def holding(self, record_id: UUID, record: T) -> Iterator[None]:
        records = self._records()
        records[record_id] = record
        try:
            yield
        finally:
            records.pop(record_id, None)

    def load(self, record_id: UUID, fresh: bool, get: Callable[[UUID], T]) -> T:
        """The held record (unless `fresh`), else one loaded now (and then held)."""
        records = self._records()
        if not fresh and record_id in records:
            return records[record_id]
        record = get(record_id)
        if record_id in records:
            records[record_id] = record
        return record

    def drop(self, record_id: UUID) -> None:
        """Forgets a record that a failed command may have changed without saving it."""
        records = self._records()
        if record_id in records:
            del records[record_id]
