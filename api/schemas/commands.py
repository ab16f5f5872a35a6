"""Request bodies of the commands: strict (unknown fields rejected), bounded, with examples."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, StrictBool, StrictInt
from pydantic import Field as Bound

from api.schemas.types import (
    STRICT,
    BusinessDate,
    Count,
    LongText,
    Note,
    PersonnelId,
    ShortText,
    Text,
    UnitCode,
    Year,
    with_examples,
)
from domain import values as v
from domain.values import (
    Area,
    Category,
    EscalationLevel,
    Field,
    Initiator,
    Kind,
    Rating,
    ReportKind,
)

DECISION_2446 = {"number": "2446/QĐ-UBND", "date": "2025-10-17", "issuer": "UBND tỉnh Điện Biên"}
Fields = Annotated[list[Field], Bound(min_length=1, max_length=len(Field))]


class AppraisalIn(BaseModel):
    model_config = STRICT
    year: Year
    rating: Rating

    def to_domain(self) -> v.Appraisal:
        return v.Appraisal(self.year, self.rating)


class OfficialIn(BaseModel):
    model_config = STRICT
    full_name: ShortText
    personnel_id: PersonnelId
    category: Category
    position: ShortText
    is_leader: StrictBool
    in_succession_plan: StrictBool
    appraisals: Annotated[list[AppraisalIn], Bound(max_length=20)] = []
    maternity_protected: StrictBool = False
    """Pregnant or raising a child under 36 months (sensitive: deciding roles only)."""

    def to_domain(self) -> v.Official:
        appraisals = tuple(a.to_domain() for a in self.appraisals)
        return v.Official(
            self.full_name,
            self.personnel_id,
            self.category,
            self.position,
            self.is_leader,
            self.in_succession_plan,
            appraisals,
            self.maternity_protected,
        )


class HostIn(BaseModel):
    model_config = STRICT
    province_code: UnitCode
    ward_code: UnitCode | None = None

    def to_domain(self) -> v.Host:
        return v.Host(self.province_code, self.ward_code)


class DecisionIn(BaseModel):
    model_config = STRICT
    number: Annotated[ShortText, Bound(max_length=100)]
    date: BusinessDate
    issuer: ShortText

    def to_domain(self) -> v.Decision:
        return v.Decision(self.number, self.date, self.issuer)


class SecondmentCreate(BaseModel):
    """Đề nghị biệt phái: one official, one host, one planned term."""

    model_config = with_examples(
        {
            "official": {
                "full_name": "Đào Duy Hưng",
                "personnel_id": "DB-KHCN-0001",
                "category": "public_employee",
                "position": "Viên chức Phòng Công nghệ số",
                "is_leader": False,
                "in_succession_plan": True,
                "appraisals": [
                    {"year": 2022, "rating": "good"},
                    {"year": 2023, "rating": "good"},
                    {"year": 2024, "rating": "excellent"},
                ],
            },
            "home_agency": "Sở Khoa học và Công nghệ",
            "host": {"province_code": 11, "ward_code": 3194},
            "kind": "secondment",
            "fields": ["information_technology", "digital_transformation"],
            "planned_start": "2025-10-20",
            "planned_end": "2026-04-19",
            "reason": "Xã thiếu cán bộ công nghệ thông tin",
        }
    )
    official: OfficialIn
    home_agency: ShortText
    host: HostIn
    kind: Kind
    fields: Fields
    planned_start: BusinessDate
    planned_end: BusinessDate
    reason: Text
    requested_on: BusinessDate | None = None
    """The request's business date; absent: undated (it then constrains no later date)."""

    def planned(self) -> v.Term:
        return v.Term(self.planned_start, self.planned_end)


class ApproveBody(BaseModel):
    """Phê duyệt theo quyết định."""

    model_config = with_examples(
        {"decision": DECISION_2446, "start": "2025-10-20", "end": "2026-04-19"},
        {
            "decision": DECISION_2446,
            "start": "2025-10-20",
            "end": "2026-04-19",
            "override_reason": "Cán bộ duy nhất có chuyên môn đo đạc địa chính trong tỉnh",
        },
    )
    decision: DecisionIn
    start: BusinessDate
    end: BusinessDate
    override_reason: Text | None = None
    consulted_on: BusinessDate | None = None
    """When the head of unit heard a public employee about it, before the decision."""

    def term(self) -> v.Term:
        return v.Term(self.start, self.end)


class ReasonBody(BaseModel):
    """Từ chối hoặc rút đề nghị, kèm lý do."""

    model_config = with_examples(
        {"reason": "Cơ quan cần giữ cán bộ để hoàn thành nhiệm vụ cuối năm"}
    )
    reason: Text
    effective_on: BusinessDate | None = None
    """The business date of the decision; default today in Vietnam."""


class DeployBody(BaseModel):
    """Xác nhận cán bộ đã đến nhận nhiệm vụ."""

    model_config = with_examples({"arrived_on": "2025-10-20"})
    arrived_on: BusinessDate


class ReportBody(BaseModel):
    """Lịch công tác tuần hoặc báo cáo kết quả, do chính cán bộ biệt phái gửi."""

    model_config = with_examples(
        {
            "kind": "weekly_plan",
            "period_start": "2025-10-20",
            "period_end": "2025-10-26",
            "summary": "Rà soát hạ tầng mạng, hướng dẫn công chức xã dùng hệ thống một cửa",
            "procedures_handled": 12,
            "staff_coached": 4,
            "field_visits": 2,
        }
    )
    kind: ReportKind
    period_start: BusinessDate
    period_end: BusinessDate
    summary: LongText
    procedures_handled: Count = 0
    staff_coached: Count = 0
    field_visits: Count = 0
    submitted_on: BusinessDate | None = None
    """When the report was submitted; default today in Vietnam."""

    def period(self) -> v.Term:
        return v.Term(self.period_start, self.period_end)


class DifficultyBody(BaseModel):
    """Khó khăn, vướng mắc phát sinh tại cơ sở."""

    model_config = with_examples(
        {
            "title": "Hồ sơ đất đai tồn đọng",
            "detail": "Nhiều hồ sơ cấp giấy chứng nhận quyền sử dụng đất chưa có bản đồ địa chính",
            "field": "land_management",
        }
    )
    title: ShortText
    detail: LongText
    field: Field
    effective_on: BusinessDate | None = None


class EscalateBody(BaseModel):
    """Báo cáo vướng mắc lên cấp có thẩm quyền."""

    model_config = with_examples(
        {"to": "province", "note": "Vượt thẩm quyền của xã, đề nghị Sở xử lý"}
    )
    to: EscalationLevel
    note: Text
    effective_on: BusinessDate | None = None


class ResolveBody(BaseModel):
    """Ghi nhận vướng mắc đã được tháo gỡ."""

    model_config = with_examples({"resolution": "Sở Nông nghiệp và Môi trường đã cung cấp bản đồ"})
    resolution: Text
    effective_on: BusinessDate | None = None


class ExtendBody(BaseModel):
    """Gia hạn thời gian biệt phái theo quyết định mới."""

    model_config = with_examples(
        {
            "new_end": "2026-10-19",
            "decision": {"number": "512/QĐ-UBND", "date": "2026-04-10", "issuer": "UBND tỉnh"},
        }
    )
    new_end: BusinessDate
    decision: DecisionIn


class HandoverBody(BaseModel):
    """Bàn giao công việc trước khi kết thúc biệt phái."""

    model_config = with_examples(
        {
            "planned_on": "2026-04-15",
            "recipients": ["Công chức Văn phòng - Thống kê xã Nậm Nèn"],
            "items": ["Tài khoản quản trị hệ thống một cửa", "Sổ tay hướng dẫn chuyển đổi số"],
        }
    )
    planned_on: BusinessDate
    recipients: Annotated[list[ShortText], Bound(min_length=1, max_length=50)]
    items: Annotated[list[Text], Bound(min_length=1, max_length=200)]


class HostEvaluationIn(BaseModel):
    model_config = STRICT
    rating: Rating
    comment: Text

    def to_domain(self) -> v.HostEvaluation:
        return v.HostEvaluation(self.rating, self.comment)


class EndBody(BaseModel):
    """Kết thúc biệt phái, kèm đánh giá của nơi tiếp nhận."""

    model_config = with_examples(
        {
            "ended_on": "2026-04-19",
            "host_evaluation": {"rating": "excellent", "comment": "Hoàn thành xuất sắc nhiệm vụ"},
        }
    )
    ended_on: BusinessDate
    host_evaluation: HostEvaluationIn


class RecallBody(BaseModel):
    """Rút cán bộ về trước thời hạn."""

    model_config = with_examples(
        {
            "ended_on": "2025-12-15",
            "reason": "Cơ quan cần cán bộ phục vụ quyết toán ngân sách cuối năm",
            "initiated_by": "home_agency",
        }
    )
    ended_on: BusinessDate
    reason: Text
    initiated_by: Initiator


class DecisionCreate(BaseModel):
    """Một quyết định phê duyệt nhiều đề nghị cùng lúc: tất cả hoặc không đề nghị nào."""

    model_config = with_examples(
        {
            "decision": DECISION_2446,
            "start": "2025-10-20",
            "end": "2026-04-19",
            "secondment_ids": ["0f8fad5b-d9cb-469f-a165-70867728950e"],
        }
    )
    decision: DecisionIn
    start: BusinessDate
    end: BusinessDate
    secondment_ids: Annotated[list[UUID], Bound(min_length=1, max_length=500)]
    consulted_on: BusinessDate | None = None
    """When the heads of unit heard the public employees listed, before the decision."""
    overrides: Annotated[dict[UUID, Text], Bound(max_length=500)] = {}
    """Per secondment, the reason to approve an official who is not eligible."""

    def term(self) -> v.Term:
        return v.Term(self.start, self.end)


class CorrectionBody(BaseModel):
    """Đính chính: corrects data of the fact recorded at `version` (not the state path)."""

    model_config = with_examples(
        {"version": 3, "changes": {"arrived_on": "2025-10-20"}, "reason": "Nhập nhầm ngày đến"},
        {
            "version": 2,
            "changes": {"decision": {"number": "2446/QĐ-UBND"}},
            "reason": "Sai số quyết định",
        },
    )
    version: Annotated[StrictInt, Bound(ge=1, le=1_000_000)]
    changes: Annotated[dict[str, Any], Bound(min_length=1, max_length=20)]
    reason: Text


class NeedsBody(BaseModel):
    """Các lĩnh vực xã còn thiếu cán bộ; thay thế lần khai báo trước."""

    model_config = with_examples(
        {
            "fields": ["construction", "justice", "agriculture", "natural_resources_environment"],
            "note": "Xã có 44 cán bộ, công chức; một số vị trí trống do nghỉ việc",
        }
    )
    fields: Annotated[list[Field], Bound(max_length=len(Field))]
    note: Note = ""
    effective_on: BusinessDate | None = None
    area: Annotated[list[Area], Bound(max_length=len(Area))] | None = None
    """The province's hardship classification (home_affairs, ministry); absent: unchanged."""


class AreaBody(BaseModel):
    """Phân loại địa bàn của xã do tỉnh quyết định (rỗng: không thuộc địa bàn khó khăn)."""

    model_config = with_examples({"area": ["mountain", "border"]})
    area: Annotated[list[Area], Bound(max_length=len(Area))]


class ReturnBody(BaseModel):
    """Tiếp nhận trở lại: the post the home agency gave back after the secondment."""

    model_config = with_examples(
        {"returned_on": "2026-04-20", "post": "Phó Trưởng phòng Công nghệ số"}
    )
    returned_on: BusinessDate
    post: ShortText


class ErasureRequest(BaseModel):
    """An erasure of a person's data: why, and under which provision."""

    model_config = with_examples(
        {
            "reason": "Cán bộ yêu cầu xóa dữ liệu cá nhân sau khi kết thúc biệt phái",
            "legal_basis": "Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15",
        }
    )
    reason: Text
    legal_basis: Text
