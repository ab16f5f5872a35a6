"""The places of one unit of the department in one ISO week: the aggregate that a schedule
takes a place in, saved in the same transaction as the visit, so that two schedules racing for
the last place conflict on its version and only one is recorded."""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.evolution import versioned
from domain.values import CommandMeta
from domain.visit_values import unit_key


def unit_week_id(province_code: int, unit: str, week: str) -> UUID:
    key = f"secondment-registry:study-visit-week:{province_code}:{unit_key(unit)}:{week}"
    return uuid5(NAMESPACE_URL, key)


@versioned(snapshot=1, events={"UnitWeekOpened": 1, "PlaceTaken": 1, "PlaceReleased": 1})
class UnitWeek(Aggregate):
    """Which study visits a unit receives in one ISO week."""

    @event("UnitWeekOpened")
    def __init__(self, province_code: int, unit: str, week: str) -> None:
        self.province_code = province_code
        self.unit = unit
        self.week = week
        self.visits: list[UUID] = []

    @staticmethod
    def create_id(province_code: int, unit: str, week: str) -> UUID:
        return unit_week_id(province_code, unit, week)

    def has_room(self, capacity: int, visit_id: UUID) -> bool:
        return visit_id in self.visits or len(self.visits) < capacity

    def take(self, meta: CommandMeta, effective_on: date, visit_id: UUID) -> None:
        if visit_id not in self.visits:
            self._taken(meta, effective_on, visit_id)

    def release(self, meta: CommandMeta, effective_on: date, visit_id: UUID) -> None:
        if visit_id in self.visits:
            self._released(meta, effective_on, visit_id)

    @event("PlaceTaken")
    def _taken(self, meta: CommandMeta, effective_on: date, visit_id: UUID) -> None:
        self.visits.append(visit_id)

    @event("PlaceReleased")
    def _released(self, meta: CommandMeta, effective_on: date, visit_id: UUID) -> None:
        self.visits.remove(visit_id)
