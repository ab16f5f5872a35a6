"""A working group (tổ công tác): people led by the Ministry's or the department's
representatives who work directly with commune People's Committees (the Đà Nẵng case), and the
visits they make. Its lifecycle is declared in `domain.working_group_lifecycle`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.commanding import Commanded, Guard
from domain.evolution import versioned
from domain.units import ward_province
from domain.values import CommandMeta, Violation
from domain.working_group_lifecycle import CLOSE, ENLARGE, RECORD_VISIT, WORKING_GROUP
from domain.working_group_records import Member, Visit

GROUP_EVENTS = {"Formed": 1, "Enlarged": 1, "VisitRecorded": 1, "Closed": 1}


def working_group_id(command_id: str) -> UUID:
    """The group's id, derived from the command that forms it (a repeat forms nothing new)."""
    return uuid5(NAMESPACE_URL, f"working-group:{command_id}")


def _ward_covered(g: WorkingGroup, data: Mapping[str, Any]) -> list[Violation]:
    ward = data["ward_code"]
    if ward in g.ward_codes:
        return []
    message = f"commune {ward} is not among the communes this group covers"
    return [Violation("ward_covered", "ward_code", message)]


def _visit_after_forming(g: WorkingGroup, data: Mapping[str, Any]) -> list[Violation]:
    day: date = data["visited_on"]
    if day >= g.formed_on:
        return []
    message = f"visited_on {day} is before the group was formed ({g.formed_on})"
    return [Violation("visit_after_forming", "visited_on", message)]


def outside_province(province_code: int, ward_codes: Sequence[int]) -> list[Violation]:
    """The ward codes that are unknown or in another province, each named by its index."""
    found = []
    for i, ward in enumerate(ward_codes):
        owner = ward_province(ward)
        if owner != province_code:
            rule = "ward_exists" if owner is None else "ward_in_province"
            message = f"commune {ward} is not in province {province_code}"
            found.append(Violation(rule, f"ward_codes[{i}]", message))
    return found


def _wards_in_province(g: WorkingGroup, data: Mapping[str, Any]) -> list[Violation]:
    return outside_province(g.province_code, data["ward_codes"])


def _something_added(g: WorkingGroup, data: Mapping[str, Any]) -> list[Violation]:
    if data["members"] or data["ward_codes"]:
        return []
    return [Violation("additions_required", "members", "name members or communes to add")]


@versioned(snapshot=1, events=GROUP_EVENTS)
class WorkingGroup(Commanded):
    """A working group of one province: its leader and members, the communes it covers and its
    visits to them."""

    LIFECYCLE = WORKING_GROUP
    GUARDS: ClassVar[Mapping[str, Guard]] = {
        "ward_covered": _ward_covered,
        "visit_after_forming": _visit_after_forming,
        "wards_in_province": _wards_in_province,
        "additions_required": _something_added,
    }

    @staticmethod
    def create_id(meta: CommandMeta) -> UUID:
        return working_group_id(meta.command_id)

    @event("Formed")
    def __init__(
        self,
        meta: CommandMeta,
        to_state: str,
        effective_on: date,
        province_code: int,
        name: str,
        leader: Member,
        members: tuple[Member, ...],
        ward_codes: tuple[int, ...],
    ) -> None:
        self.state = to_state
        self.command_ids = {meta.command_id: self.version}
        self.formed_by = meta.actor
        self.formed_on = effective_on
        self.province_code = province_code
        self.name = name
        self.leader = leader
        self.members = tuple(members)
        self.ward_codes = tuple(ward_codes)
        self.visits: list[Visit] = []
        self.closed_on: date | None = None

    @property
    def visited(self) -> list[int]:
        """The communes it has visited, in the order it covers them."""
        seen = {v.ward_code for v in self.visits}
        return [w for w in self.ward_codes if w in seen]

    @property
    def not_visited(self) -> list[int]:
        seen = {v.ward_code for v in self.visits}
        return [w for w in self.ward_codes if w not in seen]

    @property
    def next_visit(self) -> int:
        return len(self.visits) + 1

    def enlarge(
        self, meta: CommandMeta, members: Sequence[Member], ward_codes: Sequence[int], on: date
    ) -> None:
        """Adds members and communes to cover (those it already covers are left out)."""
        data = {"members": list(members), "ward_codes": list(ward_codes)}
        to_state = self._decide(ENLARGE, data)
        new = tuple(w for w in dict.fromkeys(ward_codes) if w not in self.ward_codes)
        self._enlarged(meta, to_state, on, tuple(members), new)

    @event("Enlarged")
    def _enlarged(
        self,
        meta: CommandMeta,
        to_state: str,
        effective_on: date,
        members: tuple[Member, ...],
        ward_codes: tuple[int, ...],
    ) -> None:
        self._moved(meta, to_state)
        self.members = (*self.members, *members)
        self.ward_codes = (*self.ward_codes, *ward_codes)

    def record_visit(self, meta: CommandMeta, visit: Visit) -> None:
        data = {"ward_code": visit.ward_code, "visited_on": visit.visited_on}
        to_state = self._decide(RECORD_VISIT, data)
        self._visit_recorded(meta, to_state, visit.visited_on, visit)

    @event("VisitRecorded")
    def _visit_recorded(
        self, meta: CommandMeta, to_state: str, effective_on: date, visit: Visit
    ) -> None:
        self._moved(meta, to_state)
        self.visits.append(visit)

    def close(self, meta: CommandMeta, on: date, reason: str) -> None:
        to_state = self._decide(CLOSE)
        self._closed(meta, to_state, on, reason)

    @event("Closed")
    def _closed(self, meta: CommandMeta, to_state: str, effective_on: date, reason: str) -> None:
        self._moved(meta, to_state)
        self.closed_on = effective_on

    def _moved(self, meta: CommandMeta, to_state: str) -> None:
        self._remember(meta)
        self.state = to_state


GROUP_EVENT_CLASSES: dict[str, type[Any]] = {
    name: vars(WorkingGroup)[name] for name in GROUP_EVENTS
}
"""The stored event classes by name, for the read models to dispatch on."""
