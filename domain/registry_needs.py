"""A commune's declared needs and hardship areas, through the shared command plumbing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from uuid import UUID

from domain import rules
from domain.commanding import Commands
from domain.commune import CommuneNeeds, commune_needs_id
from domain.errors import NotFound, RuleViolation
from domain.recorded import RecordedNeeds
from domain.registry_base import RegistryBase
from domain.units import host_violations
from domain.values import (
    Area,
    CommandMeta,
    Field,
    Host,
    Violation,
)


class Needs(RegistryBase):
    """Declaring and reading a commune's needs."""

    def declare_needs(
        self,
        meta: CommandMeta,
        host: Host,
        fields: Sequence[Field],
        note: str,
        areas: Sequence[Area] | None = None,
        effective_on: date | None = None,
    ) -> RecordedNeeds:
        """Replaces a commune's declared needs and, when given, its hardship areas; each kept
        as an event (`effective_on`: the declaration's business date, default today)."""
        day = effective_on or self.today()
        if future := rules.not_in_future("effective_on", day, self.today()):
            raise RuleViolation(future)

        def change(needs: CommuneNeeds) -> None:
            needs.declare(meta, day, tuple(dict.fromkeys(fields)), note)
            if areas is not None:
                needs.declare_area(meta, day, tuple(dict.fromkeys(areas)))

        return self._declare(meta, host, change)

    def declare_area(self, meta: CommandMeta, host: Host, areas: Sequence[Area]) -> RecordedNeeds:
        """The province classifies a commune's hardship areas (replacing the last one)."""
        return self._declare(
            meta, host, lambda n: n.declare_area(meta, self.today(), tuple(dict.fromkeys(areas)))
        )

    def _declare(
        self, meta: CommandMeta, host: Host, change: Callable[[CommuneNeeds], None]
    ) -> RecordedNeeds:
        found = host_violations(host)
        if host.ward_code is None:
            found.append(Violation("ward_required", "ward_code", "needs are declared by a commune"))
        if found:
            raise RuleViolation(found)
        ward_code, province_code = host.ward_code, host.province_code
        assert ward_code is not None
        needs = Commands(self, CommuneNeeds)
        needs_id = commune_needs_id(ward_code)

        def load(_: UUID, fresh: bool) -> CommuneNeeds:
            return needs.get_or_create(needs_id, lambda: CommuneNeeds(ward_code, province_code))

        return RecordedNeeds.of(needs.run(needs_id, meta, None, change, load=load))

    def commune_needs(self, ward_code: int) -> CommuneNeeds | None:
        try:
            return Commands(self, CommuneNeeds).get(commune_needs_id(ward_code))
        except NotFound:
            return None
