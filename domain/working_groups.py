"""Commands on working groups inside the registry: form one, add members and communes, record
a visit (opening difficulties on the secondments at that commune, in the same save), close it.

A visit and the difficulties it opens are saved together (one `save`, one transaction): either
the visit and every difficulty are recorded, or none of them. A repeat of the command (the same
command id, e.g. the same Idempotency-Key) answers with the first result and records nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from domain import rules
from domain.application import SecondmentRegistry, StoredEvent
from domain.commanding import Commands, Done
from domain.errors import NotFound, RuleViolation, SecondmentNotFound
from domain.lifecycle import ON_POST
from domain.positions import positioned_page
from domain.records import FromVisit
from domain.secondment import Secondment
from domain.values import CommandMeta, Violation
from domain.working_group import WorkingGroup, outside_province, working_group_id
from domain.working_group_records import Member, Visit, VisitIssue


class WorkingGroupNotFound(NotFound):
    """Raised when no working group has the given id (or the caller may not see it)."""

    def __init__(self, key: object) -> None:
        super().__init__("working group", key)


@dataclass(frozen=True)
class NewGroup:
    """What forming a group takes."""

    province_code: int
    name: str
    leader: Member
    members: tuple[Member, ...]
    ward_codes: tuple[int, ...]
    formed_on: date


@dataclass(frozen=True)
class NewVisit:
    """What recording a visit takes; issues naming a secondment open a difficulty on it."""

    ward_code: int
    visited_on: date
    findings: str
    guidance: str
    issues: tuple[VisitIssue, ...]


class WorkingGroups:
    """Working groups, kept in the registry's store beside the secondments they visit."""

    def __init__(self, registry: SecondmentRegistry) -> None:
        self.registry = registry
        self.commands = Commands(registry, WorkingGroup, WorkingGroupNotFound)

    def get(self, group_id: UUID, version: int | None = None) -> WorkingGroup:
        return self.commands.get(group_id, version)

    def form(self, meta: CommandMeta, new: NewGroup) -> Done[WorkingGroup]:
        found = outside_province(new.province_code, new.ward_codes)
        found += rules.not_in_future("formed_on", new.formed_on, self.registry.today())
        if found:
            raise RuleViolation(found)

        def make() -> WorkingGroup:
            return WorkingGroup(
                meta,
                WorkingGroup.LIFECYCLE.initial,
                new.formed_on,
                new.province_code,
                new.name,
                new.leader,
                new.members,
                tuple(dict.fromkeys(new.ward_codes)),
            )

        return self.commands.create(meta, working_group_id(meta.command_id), make)

    def enlarge(
        self,
        group_id: UUID,
        meta: CommandMeta,
        expected: int | None,
        members: Sequence[Member],
        ward_codes: Sequence[int],
    ) -> Done[WorkingGroup]:
        """Adds members and communes to cover (today)."""
        day = self.registry.today()

        def act(g: WorkingGroup) -> None:
            g.enlarge(meta, members, ward_codes, day)

        return self.commands.run(group_id, meta, expected, act)

    def close(
        self, group_id: UUID, meta: CommandMeta, expected: int | None, on: date, reason: str
    ) -> Done[WorkingGroup]:
        self._not_in_future("closed_on", on)
        return self.commands.run(group_id, meta, expected, lambda g: g.close(meta, on, reason))

    def record_visit(
        self, group_id: UUID, meta: CommandMeta, expected: int | None, new: NewVisit
    ) -> Done[WorkingGroup]:
        """Records the visit and opens the difficulties its issues name, in one save."""
        self._not_in_future("visited_on", new.visited_on)

        def act(g: WorkingGroup) -> list[Secondment]:
            opened: dict[UUID, Secondment] = {}
            issues = [
                self._open(g, meta, new, i, issue, opened) for i, issue in enumerate(new.issues)
            ]
            visit = Visit(
                g.next_visit,
                new.ward_code,
                new.visited_on,
                new.findings,
                new.guidance,
                tuple(issues),
                meta.actor,
            )
            g.record_visit(meta, visit)
            return list(opened.values())

        return self.commands.run(group_id, meta, expected, act)

    def history(self, group_id: UUID, after_version: int = 0, limit: int = 50) -> list[StoredEvent]:
        """A page of one group's events, oldest first, with their log positions."""
        self.get(group_id)
        mapper = self.registry.mapper
        page = positioned_page(self.registry.recorder, group_id, after_version, limit)
        return [StoredEvent(at, mapper.to_domain_event(row)) for at, row in page]

    def _open(
        self,
        g: WorkingGroup,
        meta: CommandMeta,
        new: NewVisit,
        index: int,
        issue: VisitIssue,
        opened: dict[UUID, Secondment],
    ) -> VisitIssue:
        """The issue as recorded: with the number of the difficulty it opened, if it names a
        secondment (which must be on post at the visited commune)."""
        if not issue.opens_difficulty or issue.secondment_id is None:
            return replace(issue, difficulty_number=None)
        field = f"issues[{index}].secondment_id"
        s = opened.get(issue.secondment_id) or self._on_post_at(
            issue.secondment_id, new.ward_code, field
        )
        today = self.registry.today()
        found = s.business_date_violations("raise_difficulty", "visited_on", new.visited_on, today)
        if found:
            raise RuleViolation(found)
        origin = FromVisit(g.id, g.next_visit)
        number = s.raise_difficulty(
            meta, issue.title, issue.detail, issue.field, new.visited_on, came_from=origin
        )
        opened[s.id] = s
        return replace(issue, difficulty_number=number)

    def _on_post_at(self, secondment_id: UUID, ward_code: int, field: str) -> Secondment:
        try:
            s = self.registry.get(secondment_id)
        except SecondmentNotFound:
            s = None
        if s is None or s.host.ward_code != ward_code:
            message = f"no secondment {secondment_id} at commune {ward_code}"
            raise RuleViolation([Violation("secondment_at_commune", field, message)])
        if s.state not in ON_POST:
            message = f"secondment {secondment_id} is {s.state}, not on post at the commune"
            raise RuleViolation([Violation("secondment_on_post", field, message, about=s.id)])
        return s

    def _not_in_future(self, field: str, on: date) -> None:
        found = rules.not_in_future(field, on, self.registry.today())
        if found:
            raise RuleViolation(found)
