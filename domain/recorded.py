"""What the registry's commands and reads answer with: views over the shared `Done`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Recording

from domain.commanding import Done
from domain.commune import CommuneNeeds
from domain.secondment import Secondment

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Recorded(Done[Secondment]):
    """What a secondment command returns: the record after it, its version, the event's log
    position, the name of the event it recorded (e.g. "Approved") and whether it was a replay."""

    @property
    def secondment(self) -> Secondment:
        return self.record

    @classmethod
    def of(cls, done: Done[Secondment]) -> Recorded:
        return cls(done.record, done.version, done.position, done.event_type, done.replayed)


@dataclass(frozen=True)
class RecordedNeeds:
    """What a needs declaration returns."""

    needs: CommuneNeeds
    position: int
    replayed: bool = False

    @classmethod
    def of(cls, done: Done[CommuneNeeds]) -> RecordedNeeds:
        return cls(done.record, done.position, done.replayed)


@dataclass(frozen=True)
class Dated:
    """A command's business date: the action it dates, the request field that carries it."""

    action: str
    field: str
    on: date


@dataclass(frozen=True)
class StoredEvent:
    """One event of a secondment's history, with its position in the global log."""

    position: int
    event: DomainEventProtocol[UUID]


def position_in(recordings: Iterable[Recording[UUID]], aggregate_id: UUID) -> int:
    found = [r.notification.id for r in recordings if r.domain_event.originator_id == aggregate_id]
    return found[-1]
