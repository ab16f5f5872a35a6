"""Response models: the secondment view, command results, the audit trail, the lifecycle."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict
from pydantic import Field as Bound

from api.schemas.problems import ProblemField
from domain.values import (
    Area,
    Category,
    DifficultyStatus,
    EscalationLevel,
    Field,
    Initiator,
    Kind,
    Outcome,
    Rating,
    ReportKind,
)


class ActorOut(BaseModel):
    sub: str
    role: str


class AppraisalOut(BaseModel):
    year: int
    rating: Rating


class OfficialOut(BaseModel):
    full_name: str
    personnel_id: str
    category: Category
    position: str
    is_leader: bool
    in_succession_plan: bool
    appraisals: list[AppraisalOut]
    maternity_protected: bool | None = None
    """Only for the roles that decide (home_affairs, ministry); null for the others."""


class HostOut(BaseModel):
    province_code: int
    province_name: str | None
    ward_code: int | None
    ward_name: str | None


class TermOut(BaseModel):
    start: date
    end: date


class DecisionOut(BaseModel):
    number: str
    date: date
    issuer: str


class ReportOut(BaseModel):
    kind: ReportKind
    period_start: date
    period_end: date
    summary: str
    procedures_handled: int
    staff_coached: int
    field_visits: int
    submitted_on: date


class FromVisitOut(BaseModel):
    """The working group's visit that opened a difficulty."""

    working_group_id: UUID
    visit: int


class DifficultyOut(BaseModel):
    number: int
    title: str
    detail: str
    field: Field
    status: DifficultyStatus
    raised_by: ActorOut
    raised_on: date
    escalated_to: EscalationLevel | None
    escalation_note: str | None
    resolution: str | None
    resolved_on: date | None
    came_from: FromVisitOut | None = None


class ExtensionOut(BaseModel):
    decision: DecisionOut
    previous_end: date
    new_end: date


class HandoverOut(BaseModel):
    planned_on: date
    recipients: list[str]
    items: list[str]


class HostEvaluationOut(BaseModel):
    rating: Rating
    comment: str


class EndingOut(BaseModel):
    outcome: Outcome
    ended_on: date
    host_evaluation: HostEvaluationOut | None
    reason: str | None
    initiated_by: Initiator | None


class ReturnOut(BaseModel):
    returned_on: date
    post: str


class PlanLinkOut(BaseModel):
    id: UUID
    batch: str | None


class SecondmentView(BaseModel):
    """One secondment as recorded (now, at a version, or as of a moment)."""

    id: UUID
    version: int
    state: str
    kind: Kind
    official: OfficialOut
    home_agency: str
    host: HostOut
    fields: list[Field]
    planned: TermOut
    reason: str
    requested_on: date | None
    requested_by: ActorOut
    decision: DecisionOut | None
    term: TermOut | None
    eligibility_failures: list[str]
    override_reason: str | None
    consulted_on: date | None = None
    closing_reason: str | None
    arrived_on: date | None
    reports: list[ReportOut]
    difficulties: list[DifficultyOut]
    extensions: list[ExtensionOut]
    handover: HandoverOut | None
    ending: EndingOut | None
    overdue_periods: list[TermOut]
    handover_due_for: date | None
    expired_for: date | None
    returned: ReturnOut | None = None
    return_missing_since: date | None = Bound(
        default=None, description="The due day of a return the deadline worker found missing"
    )
    plan: PlanLinkOut | None = Bound(
        default=None, description="The plan (and batch) whose decision created it"
    )
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str] = Bound(
        description="What the caller may do now (empty for a past version)"
    )


class SecondmentRecorded(SecondmentView):
    """A command's result: the secondment after it, and the event's position in the global log."""

    position: int


class DifficultyRecorded(SecondmentRecorded):
    """The result of raising a difficulty, with the new difficulty's number."""

    number: int


class DecisionRecorded(BaseModel):
    """Every secondment the decision approved, and the position of the last event."""

    decision: DecisionOut
    term: TermOut
    position: int
    items: list[SecondmentRecorded]


class NeedsRecorded(BaseModel):
    """A commune's declared needs after a declaration."""

    ward_code: int
    ward_name: str | None
    province_code: int
    fields: list[Field]
    note: str
    area: list[Area]
    version: int
    position: int


class EventItem(BaseModel):
    """One event of a secondment's audit trail."""

    position: int
    version: int
    type: str
    recorded_at: datetime
    actor: ActorOut
    from_state: str | None
    to_state: str | None
    effective_on: date | None
    correlation_id: str
    command_id: str
    data: dict[str, Any]


class EventPage(BaseModel):
    items: list[EventItem]
    next_cursor: str | None


class TransitionOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)
    action: str
    from_: list[str] = Bound(alias="from")
    to: str | None
    guards: list[str]


class LifecycleOut(BaseModel):
    """The lifecycle table the domain uses, and what each role may do."""

    states: list[str]
    initial: str
    final: list[str]
    transitions: list[TransitionOut]
    guards: list[str]
    mermaid: str
    roles: dict[str, list[str]]


class Health(BaseModel):
    status: str


class ImportRow(BaseModel):
    """One row of an imported list: the secondment it created (or would create)."""

    row: int
    id: UUID | None = None
    full_name: str
    ward_code: int | None
    state: str


class ImportResult(BaseModel):
    """An imported list: every row created (or, in a dry run, checked), or the problems of each
    row (a dry run answers them here; an import answers them as a 422)."""

    dry_run: bool
    rows: int
    items: list[ImportRow]
    problems: list[ProblemField]
    position: int | None = None
