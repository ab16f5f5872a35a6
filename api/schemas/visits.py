"""Request and response bodies of the study visits (`/v1/study-visits`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, StringConstraints
from pydantic import Field as Bound

from api.schemas.commands import ReasonBody
from api.schemas.types import (
    STRICT,
    BusinessDate,
    Count,
    ShortText,
    Text,
    UnitCode,
    with_examples,
)
from domain.visit_values import Participant

IsoWeek = Annotated[str, StringConstraints(pattern=r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")]
EXAMPLE: dict[str, Any] = {
    "ward_code": 20443,
    "participants": [
        {"full_name": "Nguyễn Văn A (mẫu)", "position": "Công chức Văn phòng - Thống kê"}
    ],
    "topics": ["Cải cách thủ tục hành chính", "Lưu trữ hồ sơ"],
    "host_unit": "Sở Nội vụ thành phố Đà Nẵng",
    "preferred_weeks": ["2026-W03", "2026-W04"],
}


class ParticipantIn(BaseModel):
    model_config = STRICT
    full_name: ShortText
    position: ShortText

    def to_domain(self) -> Participant:
        return Participant(self.full_name, self.position)


class StudyVisitCreate(BaseModel):
    """A commune's proposal (a commune's token proposes for its own ward; `ward_code` is then
    optional). No cap on participants: the body size limit is the only bound."""

    model_config = with_examples(EXAMPLE)
    ward_code: UnitCode | None = None
    participants: Annotated[list[ParticipantIn], Bound(min_length=1)]
    topics: Annotated[list[Text], Bound(min_length=1, max_length=50)]
    host_unit: ShortText
    preferred_weeks: Annotated[list[IsoWeek], Bound(max_length=53)] = []
    proposed_on: BusinessDate | None = None


class ScheduleIn(BaseModel):
    """When and by which unit of the department the visit is received (one ISO week)."""

    model_config = with_examples(
        {"start": "2026-01-13", "end": "2026-01-14", "unit": "Phòng Cải cách hành chính"}
    )
    start: BusinessDate
    end: BusinessDate
    unit: ShortText
    effective_on: BusinessDate | None = None


class AttendIn(BaseModel):
    model_config = with_examples({"attended_on": "2026-01-13", "present": 5})
    attended_on: BusinessDate
    present: Count | None = None


class CompleteIn(BaseModel):
    """The department's (or the commune's) feedback on the visit, and when it was completed
    (default today)."""

    model_config = with_examples({"feedback": "Nắm được quy trình một cửa liên thông"})
    feedback: Text
    completed_on: BusinessDate | None = None


CancelIn = ReasonBody
"""Why the visit will not take place, dated `effective_on` (default today)."""


class ParticipantOut(BaseModel):
    full_name: str
    position: str


class StudyVisitView(BaseModel):
    """One study visit as recorded, with the actions the caller may take now."""

    id: UUID
    version: int
    state: str
    state_label: str
    province_code: int
    ward_code: int
    ward_name: str | None
    participants: list[ParticipantOut]
    topics: list[str]
    host_unit: str
    preferred_weeks: list[str]
    proposed_on: date
    unit: str | None
    start: date | None
    end: date | None
    week: str | None
    reschedules: int
    attended_on: date | None
    present: int | None
    feedback: str | None
    reason: str | None
    allowed_actions: list[str]
    position: int | None = None
