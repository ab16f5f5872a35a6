"""The parts of a working group's record: its people, and the visits it makes to communes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.values import Actor, Field


@dataclass(frozen=True)
class Member:
    """A member (or the leader) of a working group, in their official capacity: name, position
    and the body they represent (the Ministry, the department…)."""

    full_name: str
    position: str
    unit: str


@dataclass(frozen=True)
class VisitIssue:
    """A problem found at a commune; when it names a secondment at that commune, the visit
    opened difficulty `difficulty_number` on it."""

    title: str
    detail: str
    field: Field
    secondment_id: UUID | None = None
    difficulty_number: int | None = None

    @property
    def opens_difficulty(self) -> bool:
        return self.secondment_id is not None


@dataclass(frozen=True)
class Visit:
    """A working session of the group with a commune People's Committee."""

    number: int
    ward_code: int
    visited_on: date
    findings: str
    guidance: str
    issues: tuple[VisitIssue, ...]
    recorded_by: Actor

    def __post_init__(self) -> None:
        object.__setattr__(self, "issues", tuple(self.issues))
