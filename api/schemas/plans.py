"""Request bodies and answers of the plans: targets, nominations, assignments, the decision."""

from __future__ import annotations

from typing import Annotated, Any, cast
from uuid import UUID

from pydantic import BaseModel, ConfigDict, StrictInt
from pydantic import Field as Bound

from api.schemas.commands import (
    DECISION_2446,
    DecisionIn,
    Fields,
    OfficialIn,
    SecondmentCreate,
)
from api.schemas.types import STRICT, BusinessDate, ShortText, Text, UnitCode, with_examples
from domain import values as v
from domain.plan_values import Target
from domain.plans import NewPlan, PlanDecision
from domain.units import ward_province


def request_example() -> dict[str, Any]:
    """The example request of a secondment (its official is a nominee's example too)."""
    extra = cast(dict[str, Any], SecondmentCreate.model_config.get("json_schema_extra"))
    first: dict[str, Any] = extra["examples"][0]
    return first


TARGET = {"ward_code": 3194, "fields": ["information_technology"], "seats": 1}
NOMINATION = {
    "official": request_example()["official"],
    "home_agency": "Sở Khoa học và Công nghệ",
    "fields": ["information_technology", "digital_transformation"],
}
Seats = Annotated[StrictInt, Bound(ge=1, le=500)]
Index = Annotated[StrictInt, Bound(ge=0, le=10_000)]


class TargetIn(BaseModel):
    """Seats wanted at a commune (`ward_code`), or at a province for the Ministry's plans."""

    model_config = STRICT
    ward_code: UnitCode | None = None
    province_code: UnitCode | None = None
    fields: Fields
    seats: Seats = 1

    def to_domain(self, plan_province: int | None) -> Target:
        province = self.province_code or plan_province
        if province is None and self.ward_code is not None:
            province = ward_province(self.ward_code)
        return Target(province or 0, self.ward_code, tuple(dict.fromkeys(self.fields)), self.seats)


class PeriodIn(BaseModel):
    model_config = STRICT
    start: BusinessDate
    end: BusinessDate


Targets = Annotated[list[TargetIn], Bound(min_length=1, max_length=500)]


class PlanCreate(BaseModel):
    """Kế hoạch biệt phái: the seats wanted per commune and field, for one period."""

    model_config = with_examples(
        {
            "title": "Kế hoạch biệt phái cán bộ về xã, đợt 1",
            "issuer": "Sở Nội vụ tỉnh Điện Biên",
            "province_code": 11,
            "kind": "secondment",
            "period": {"start": "2025-10-20", "end": "2026-04-19"},
            "targets": [TARGET],
        }
    )
    title: ShortText
    issuer: ShortText
    province_code: UnitCode | None = None
    kind: v.Kind = v.Kind.SECONDMENT
    period: PeriodIn
    targets: Targets

    def to_domain(self) -> NewPlan:
        targets = tuple(t.to_domain(self.province_code) for t in self.targets)
        period = v.Term(self.period.start, self.period.end)
        return NewPlan(self.title, self.issuer, self.province_code, self.kind, period, targets)


class TargetsBody(BaseModel):
    """Chỉ tiêu mới (thay thế chỉ tiêu cũ, khi kế hoạch còn đang lập)."""

    model_config = with_examples({"targets": [TARGET]})
    targets: Targets


class NominationCreate(BaseModel):
    """Đề cử: an official of the agency, with the fields they can cover."""

    model_config = with_examples(NOMINATION)
    official: OfficialIn
    home_agency: ShortText
    fields: Fields


class AssignmentIn(BaseModel):
    model_config = STRICT
    nomination_id: UUID
    target: Index
    number: Index = 0


class AssignmentsBody(BaseModel):
    """Phân công thủ công: replaces the seats given (one seat per official, one per seat)."""

    model_config = with_examples(
        {"assignments": [{"nomination_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "target": 0}]}
    )
    assignments: Annotated[list[AssignmentIn], Bound(max_length=5000)]

    def to_domain(self) -> list[tuple[str, int, int]]:
        return [(str(a.nomination_id), a.target, a.number) for a in self.assignments]


class PlanDecisionBody(BaseModel):
    """Quyết định của kế hoạch: creates the assigned secondments, approved, all or none."""

    model_config = with_examples(
        {"decision": DECISION_2446, "start": "2025-10-20", "end": "2026-04-19"}
    )
    decision: DecisionIn
    start: BusinessDate
    end: BusinessDate
    batch: ShortText | None = None
    overrides: Annotated[dict[UUID, Text], Bound(max_length=5000)] = {}
    """Per nomination, the reason to approve an official who is not eligible."""

    def to_domain(self) -> PlanDecision:
        term = v.Term(self.start, self.end)
        return PlanDecision(self.decision.to_domain(), term, self.batch, self.overrides)


class StepBody(BaseModel):
    """A step with no data of its own: its business date (default today in Vietnam)."""

    model_config = with_examples({}, {"effective_on": "2025-10-01"})
    effective_on: BusinessDate | None = None


class CancelBody(BaseModel):
    """Hủy kế hoạch, với lý do."""

    model_config = with_examples({"reason": "Gộp vào kế hoạch đợt 2"})
    reason: Text


class PlanRecorded(BaseModel):
    """A plan after a command: its detail, what follows from it, and the event's position."""

    model_config = ConfigDict(extra="allow")
    id: str
    version: int
    state: str
    position: int
    allowed_actions: list[str]
    nomination_id: str | None = None
    """The nomination a `nominate` created."""
