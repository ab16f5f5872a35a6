"""The values a plan records: its targets (seats per commune and field), the nominees as the
plan sees them (no personal data: that stays in their Nomination), the seats given, and the
link each secondment created by a plan's decision keeps to it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.values import Field


def _tupled(record: object, *names: str) -> None:
    for name in names:
        object.__setattr__(record, name, tuple(getattr(record, name)))


@dataclass(frozen=True)
class Target:
    """Seats wanted at one commune (or, for the Ministry's plans, one province) in fields."""

    province_code: int
    ward_code: int | None
    fields: tuple[Field, ...]
    seats: int

    def __post_init__(self) -> None:
        _tupled(self, "fields")


@dataclass(frozen=True)
class Candidate:
    """A nominee as the plan sees them: the nomination holding their personal data, the
    pseudonym of their personnel id, and the eligibility evaluated when nominated."""

    nomination_id: UUID
    personnel_key: str
    home_agency: str
    fields: tuple[Field, ...]
    eligible: bool
    failures: tuple[str, ...]
    leader: bool

    def __post_init__(self) -> None:
        _tupled(self, "fields", "failures")


@dataclass(frozen=True)
class Placement:
    """A nominee on one seat of a target, and the needed fields they cover there."""

    nomination_id: UUID
    target: int
    number: int
    fields: tuple[Field, ...]

    def __post_init__(self) -> None:
        _tupled(self, "fields")


@dataclass(frozen=True)
class PlanLink:
    """The plan (and batch) whose decision created a secondment."""

    plan_id: UUID
    batch: str | None = None
