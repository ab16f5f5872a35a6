"""Problems in Vietnamese: each rule the API names (business rule or input check) gets a message,
shown next to the field the API names."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from domain.errors import IllegalTransition, RuleViolation, StaleVersion
from domain.values import Violation

RULES = {
    "eligibility": (
        "Cán bộ chưa đủ điều kiện theo tiêu chuẩn của kế hoạch biệt phái của tỉnh (Điện Biên,"
        " Quyết định 2446/QĐ-UBND): 3 năm gần nhất đạt “Hoàn thành tốt nhiệm vụ” trở lên; là"
        " lãnh đạo, quản lý hoặc trong quy hoạch. Cần nêu lý do phê duyệt đặc cách."
    ),
    "term_ordered": "Ngày kết thúc trước ngày bắt đầu.",
    "term_limit": (
        "Tổng thời gian biệt phái, kể cả gia hạn, vượt quá thời hạn tối đa (Nghị định 138/2020"
        " Điều 27, Nghị định 115/2020 Điều 27, Luật Viên chức 2010 Điều 36)."
    ),
    "maternity_protection": (
        "Không biệt phái viên chức nữ đang mang thai hoặc nuôi con dưới 36 tháng tuổi (khoản 7"
        " Điều 36 Luật Viên chức 2010); không được phê duyệt đặc cách."
    ),
    "consultation_before_decision": (
        "Ngày gặp gỡ, trao đổi với viên chức phải trước ngày quyết định (Nghị định 115/2020)."
    ),
    "return_after_end": "Ngày tiếp nhận trở lại không được trước ngày kết thúc biệt phái.",
    "return_once": "Việc tiếp nhận trở lại đã được ghi nhận.",
    "arrival_after_decision": "Ngày đến nhận nhiệm vụ trước ngày ký quyết định.",
    "arrival_in_term": "Ngày đến nhận nhiệm vụ nằm ngoài thời hạn được phê duyệt.",
    "period_ordered": "Ngày cuối kỳ trước ngày đầu kỳ.",
    "report_period_in_term": "Kỳ báo cáo nằm ngoài thời hạn biệt phái.",
    "new_end_after_current": "Ngày kết thúc mới phải sau ngày kết thúc hiện tại.",
    "planned_on_after_arrival": "Ngày bàn giao trước ngày cán bộ đến nhận nhiệm vụ.",
    "ended_on_after_arrival": "Ngày kết thúc trước ngày cán bộ đến nhận nhiệm vụ.",
    "escalation_goes_up": "Vướng mắc đã được báo cáo lên cấp này hoặc cấp cao hơn.",
    "difficulty_unresolved": "Vướng mắc này đã được tháo gỡ.",
    "effective_date_out_of_order": (
        "Ngày hiệu lực trước ngày của bước trước đó trong quá trình biệt phái."
    ),
    "correction_supported": "Bước này không có dữ liệu có thể đính chính.",
    "correction_field": "Thông tin này không thuộc bước được đính chính.",
    "correction_value": "Giá trị đính chính không hợp lệ.",
    "correction_changes": "Cần nêu ít nhất một thông tin được đính chính.",
    "version_exists": "Không có bước nào ở phiên bản này của hồ sơ.",
    "person_erased": "Dữ liệu cá nhân của cán bộ đã bị xóa: hồ sơ không nhận thêm thông tin.",
    "person_has_active_secondment": (
        "Cán bộ đang có đợt biệt phái chưa kết thúc (đã phê duyệt, đang công tác hoặc bàn giao):"
        " chưa thể xóa dữ liệu cá nhân."
    ),
    "one_active_secondment": "Cán bộ đã có một đợt biệt phái khác trùng thời gian.",
    "term_after_two_tier_units": (
        "Ngày bắt đầu dự kiến trước ngày 01/07/2025, khi chính quyền địa phương hai cấp chưa hình"
        " thành."
    ),
    "effective_date_in_future": "Ngày này muộn hơn ngày hôm nay (giờ Việt Nam).",
    "report_period_duplicate": "Đã có báo cáo loại này cho kỳ này.",
    "idempotency_key_reused": "Biểu mẫu này đã được gửi với nội dung khác. Hãy tải lại trang.",
    "stale_version": (
        "Hồ sơ vừa được người khác cập nhật. Hãy xem lại hồ sơ mới nhất rồi thực hiện lại."
    ),
    "illegal_transition": "Thao tác này không thực hiện được ở trạng thái hiện tại của hồ sơ.",
    "not_found": "Không tìm thấy vướng mắc này.",
    "forbidden": "Vai trò của bạn không được thực hiện thao tác này với hồ sơ này.",
    "date_format": "Ngày phải có dạng dd/mm/yyyy, ví dụ 20/10/2025.",
    "count_format": "Phải là số nguyên không âm.",
    "missing": "Vui lòng nhập thông tin này.",
    "string_too_short": "Không được để trống.",
    "string_pattern_mismatch": "Không được để trống.",
    "string_too_long": "Nội dung quá dài.",
    "too_short": "Cần ít nhất một dòng.",
    "too_long": "Quá nhiều dòng.",
    "enum": "Hãy chọn một giá trị trong danh sách.",
    "no_bidi_controls": (
        "Không được chứa ký tự điều khiển hướng chữ (U+202A–U+202E, U+2066–U+2069): chúng làm"
        " nội dung hiển thị khác với thực tế."
    ),
    "value_error": "Ngày phải có dạng dd/mm/yyyy, ví dụ 20/10/2025.",
    "date_from_datetime_parsing": "Ngày phải có dạng dd/mm/yyyy, ví dụ 20/10/2025.",
    "date_parsing": "Ngày phải có dạng dd/mm/yyyy, ví dụ 20/10/2025.",
    "int_type": "Phải là số nguyên.",
    "less_than_equal": "Giá trị quá lớn.",
    "greater_than_equal": "Giá trị quá nhỏ.",
}
FALLBACK = "Giá trị không hợp lệ."


@dataclass(frozen=True)
class FieldError:
    """One problem, at an input (or at the form when `field` is empty)."""

    field: str
    rule: str

    @property
    def message(self) -> str:
        return RULES.get(self.rule, FALLBACK)


def from_validation(e: ValidationError) -> list[FieldError]:
    """The request model's complaints, at the dotted field they concern."""
    found = []
    for error in e.errors():
        path = ".".join(str(p) for p in error["loc"] if not isinstance(p, int))
        found.append(FieldError(path, error["type"]))
    return found


def _violation(v: Violation, fields: set[str]) -> FieldError:
    return FieldError(v.field if v.field in fields else "", v.rule)


def from_domain(e: Exception, fields: set[str]) -> list[FieldError]:
    """A refused command's problems, at the form's inputs where the API names one of them."""
    if isinstance(e, RuleViolation):
        return [_violation(v, fields) for v in e.violations]
    if isinstance(e, StaleVersion):
        return [FieldError("", "stale_version")]
    if isinstance(e, IllegalTransition):
        return [FieldError("", "illegal_transition")]
    return [FieldError("number" if "number" in fields else "", "not_found")]
