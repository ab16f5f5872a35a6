"""Parts of a secondment's record that accumulate over its life."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from domain.values import (
    Actor,
    Decision,
    DifficultyStatus,
    EscalationLevel,
    Field,
    HostEvaluation,
    Initiator,
    Outcome,
    ReportKind,
)


@dataclass(frozen=True)
class Report:
    """A weekly plan or progress report written by the seconded official."""

    kind: ReportKind
    period_start: date
    period_end: date
    summary: str
    procedures_handled: int
    staff_coached: int
    field_visits: int
    submitted_on: date


@dataclass(frozen=True)
class FromVisit:
    """Where a difficulty came from when a working group's visit opened it: the group and the
    visit's number in it."""

    working_group_id: UUID
    visit: int


@dataclass(frozen=True)
class Difficulty:
    """A difficulty raised from the post, tracked until resolved."""

    number: int
    title: str
    detail: str
    field: Field
    raised_by: Actor
    raised_on: date
    escalated_to: EscalationLevel | None = None
    escalation_note: str | None = None
    resolution: str | None = None
    resolved_on: date | None = None
    came_from: FromVisit | None = None
    """The working group's visit that opened it; rows stored before visits existed read None."""

    @property
    def resolved(self) -> bool:
        return self.resolution is not None

    @property
    def status(self) -> DifficultyStatus:
        if self.resolved:
            return DifficultyStatus.RESOLVED
        return DifficultyStatus.ESCALATED if self.escalated_to else DifficultyStatus.OPEN

    def escalated(self, to: EscalationLevel, note: str) -> Difficulty:
        return replace(self, escalated_to=to, escalation_note=note)

    def settled(self, resolution: str, on: date) -> Difficulty:
        return replace(self, resolution=resolution, resolved_on=on)


@dataclass(frozen=True)
class Extension:
    """A decision that moved the end of the term."""

    decision: Decision
    previous_end: date
    new_end: date


@dataclass(frozen=True)
class Handover:
    """What was handed over, to whom, and when it was planned."""

    planned_on: date
    recipients: tuple[str, ...]
    items: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "recipients", tuple(self.recipients))
        object.__setattr__(self, "items", tuple(self.items))


@dataclass(frozen=True)
class Ending:
    """How and when the secondment ended."""

    outcome: Outcome
    ended_on: date
    host_evaluation: HostEvaluation | None = None
    reason: str | None = None
    initiated_by: Initiator | None = None


@dataclass(frozen=True)
class Return:
    """The official taken back by the home agency after the secondment: when, and to which post."""

    returned_on: date
    post: str
