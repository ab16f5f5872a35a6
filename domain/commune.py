"""A commune's declared needs (the fields it lacks, replaced by each declaration) and its hardship
areas as the province classifies it (Decree 170/2025 Art. 27(3))."""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.commanding import Commanded
from domain.evolution import versioned
from domain.values import Area, CommandMeta, Field


@versioned(snapshot=1, events={"Opened": 1, "NeedsDeclared": 1, "AreaDeclared": 1})
class CommuneNeeds(Commanded):
    """The fields of expertise a commune or ward says it lacks (no lifecycle: every declaration
    replaces the last)."""

    @event("Opened")
    def __init__(self, ward_code: int, province_code: int) -> None:
        self.ward_code = ward_code
        self.province_code = province_code
        self.fields: tuple[Field, ...] = ()
        self.note = ""
        self.areas: tuple[Area, ...] = ()
        self.command_ids: dict[str, int] = {}

    @staticmethod
    def create_id(ward_code: int) -> UUID:
        return commune_needs_id(ward_code)

    @event("NeedsDeclared")
    def declare(
        self,
        meta: CommandMeta,
        effective_on: date,
        fields: tuple[Field, ...],
        note: str,
    ) -> None:
        self.fields = tuple(fields)
        self.note = note
        self._remember(meta)

    @event("AreaDeclared")
    def declare_area(self, meta: CommandMeta, effective_on: date, areas: tuple[Area, ...]) -> None:
        """The province's classification of the commune (empty: no hardship area)."""
        self.areas = tuple(areas)
        self._remember(meta)


def commune_needs_id(ward_code: int) -> UUID:
    return uuid5(NAMESPACE_URL, f"secondment-registry:commune:{ward_code}")
