"""Request and response bodies of the working groups (tổ công tác)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict
from pydantic import Field as Bound

from api.schemas.types import BusinessDate, LongText, Note, ShortText, Text, UnitCode, with_examples
from api.schemas.views import ActorOut
from domain.values import Field

WardCodes = Annotated[list[UnitCode], Bound(min_length=1, max_length=500)]


class MemberBody(BaseModel):
    """A member or the leader, in their official capacity."""

    model_config = ConfigDict(extra="forbid")
    full_name: ShortText
    position: ShortText
    unit: ShortText


LEADER = {"full_name": "Trần Văn A", "position": "Phó Giám đốc", "unit": "Sở Nội vụ"}


class WorkingGroupBody(BaseModel):
    """Thành lập tổ công tác: name, leader, members and the communes it covers (one province)."""

    model_config = with_examples(
        {
            "name": "Tổ công tác số 1",
            "leader": LEADER,
            "members": [{"full_name": "Lê Thị B", "position": "Chuyên viên", "unit": "Bộ Nội vụ"}],
            "ward_codes": [20455, 20458],
        }
    )
    name: ShortText
    leader: MemberBody
    members: Annotated[list[MemberBody], Bound(max_length=100)] = []
    ward_codes: WardCodes
    province_code: UnitCode | None = None
    """Default: the province of the first commune."""
    formed_on: BusinessDate | None = None
    """Default: today in Vietnam."""


class AdditionsBody(BaseModel):
    """Bổ sung thành viên và/hoặc xã, phường phụ trách (at least one of them)."""

    model_config = with_examples(
        {
            "members": [
                {"full_name": "Trần Văn B", "position": "Chuyên viên", "unit": "Phòng Tổ chức"}
            ],
            "ward_codes": [20314],
        }
    )
    members: Annotated[list[MemberBody], Bound(max_length=100)] = []
    ward_codes: Annotated[list[UnitCode], Bound(max_length=500)] = []


class CloseBody(BaseModel):
    model_config = with_examples(
        {"closed_on": "2025-12-31", "reason": "Đã hoàn thành việc hỗ trợ các xã, phường"}
    )
    closed_on: BusinessDate | None = None
    reason: Note = ""


class IssueBody(BaseModel):
    """An issue found at the commune; with `secondment_id` (a secondment on post at that
    commune) it opens a difficulty on it."""

    model_config = ConfigDict(extra="forbid")
    title: ShortText
    detail: LongText
    field: Field
    secondment_id: UUID | None = None


class VisitBody(BaseModel):
    """Một buổi làm việc của tổ công tác với UBND xã, phường."""

    model_config = with_examples(
        {
            "ward_code": 20455,
            "visited_on": "2025-10-02",
            "findings": "Bộ phận một cửa còn thiếu công chức địa chính",
            "guidance": "Hướng dẫn quy trình tiếp nhận hồ sơ đất đai",
            "issues": [
                {
                    "title": "Hồ sơ đất đai tồn đọng",
                    "detail": "Chưa có bản đồ địa chính số",
                    "field": "land_management",
                }
            ],
        }
    )
    ward_code: UnitCode
    visited_on: BusinessDate
    findings: Text
    guidance: Text
    issues: Annotated[list[IssueBody], Bound(max_length=50)] = []


class MemberOut(BaseModel):
    full_name: str
    position: str
    unit: str


class IssueOut(BaseModel):
    title: str
    detail: str
    field: Field
    secondment_id: UUID | None
    difficulty_number: int | None


class VisitOut(BaseModel):
    number: int
    ward_code: int
    ward_name: str | None
    visited_on: date
    findings: str
    guidance: str
    issues: list[IssueOut]
    recorded_by: ActorOut


class WardOut(BaseModel):
    ward_code: int
    ward_name: str | None


class WorkingGroupView(BaseModel):
    """A working group: its people, the communes it covers, visited and not yet visited."""

    id: UUID
    name: str
    province_code: int
    province_name: str | None
    state: str
    version: int
    formed_on: date
    closed_on: date | None
    leader: MemberOut
    members: list[MemberOut]
    wards: list[WardOut]
    visited: list[WardOut]
    not_visited: list[WardOut]
    visits: list[VisitOut]
    allowed_actions: list[str]


class WorkingGroupRecorded(WorkingGroupView):
    """A command's result: the group after it and the event's position in the global log."""

    position: int
