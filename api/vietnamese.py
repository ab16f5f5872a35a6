"""Vietnamese text of every problem the API names, by rule (the rule names stay English):
the dashboard shows them, and the API answers them when asked with `Accept-Language: vi`."""

from __future__ import annotations

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
    "arrival_after_decision": "Ngày đến nhận nhiệm vụ trước ngày ký quyết định.",
    "arrival_in_term": "Ngày đến nhận nhiệm vụ nằm ngoài thời hạn được phê duyệt.",
    "period_ordered": "Ngày cuối kỳ trước ngày đầu kỳ.",
    "report_period_in_term": "Kỳ báo cáo nằm ngoài thời hạn biệt phái.",
    "new_end_after_current": "Ngày kết thúc mới phải sau ngày kết thúc hiện tại.",
    "planned_on_after_arrival": "Ngày bàn giao trước ngày cán bộ đến nhận nhiệm vụ.",
    "ended_on_after_arrival": "Ngày kết thúc trước ngày cán bộ đến nhận nhiệm vụ.",
    "escalation_goes_up": "Vướng mắc đã được báo cáo lên cấp này hoặc cấp cao hơn.",
    "difficulty_unresolved": "Vướng mắc này đã được tháo gỡ.",
    "person_erased": "Dữ liệu cá nhân của cán bộ đã bị xóa: hồ sơ không nhận thêm thông tin.",
    "person_has_active_secondment": (
        "Cán bộ đang có đợt biệt phái chưa kết thúc (đã phê duyệt, đang công tác hoặc bàn giao):"
        " chưa thể xóa dữ liệu cá nhân."
    ),
    "one_active_secondment": "Cán bộ đã có một đợt biệt phái khác trùng thời gian.",
    "idempotency_key_reused": "Biểu mẫu này đã được gửi với nội dung khác. Hãy tải lại trang.",
    "stale_version": (
        "Hồ sơ vừa được người khác cập nhật. Hãy xem lại hồ sơ mới nhất rồi thực hiện lại."
    ),
    "illegal_transition": "Thao tác này không thực hiện được ở trạng thái hiện tại của hồ sơ.",
    "not_found": "Không tìm thấy vướng mắc này.",
    "forbidden": "Vai trò của bạn không được thực hiện thao tác này với hồ sơ này.",
    "ward_exists": (
        "Mã xã, phường không có trong danh mục đơn vị hành chính, hoặc không thuộc tỉnh này."
    ),
    "ward_in_province": "Xã, phường này không thuộc tỉnh, thành phố đã chọn.",
    "province_exists": "Mã tỉnh, thành phố không có trong danh mục đơn vị hành chính.",
    "ward_required": "Cần chọn một xã, phường.",
    "fields_required": "Cần chọn ít nhất một lĩnh vực.",
    "home_agency_required": "Vui lòng nhập cơ quan cử cán bộ.",
    "request_scope": "Nơi tiếp nhận hoặc cơ quan cử nằm ngoài phạm vi của bạn.",
    "rows_required": "Danh sách không có dòng nào.",
    "file_format": "Tệp không đọc được: cần tệp Excel (.xlsx) hoặc CSV (UTF-8) theo mẫu.",
    "header_missing": "Tệp không có dòng tiêu đề cột.",
    "too_many_rows": "Danh sách quá dài: tối đa 1.000 dòng mỗi tệp.",
    "secondments_required": "Cần chọn ít nhất một hồ sơ.",
    "distinct_secondments": "Hồ sơ được chọn hai lần.",
    "secondment_exists": "Không tìm thấy hồ sơ, hoặc hồ sơ nằm ngoài phạm vi của bạn.",
    "state": "Hồ sơ không còn ở trạng thái chờ phê duyệt.",
    "bool_type": "Hãy ghi “có” hoặc “không”.",
    "bool_parsing": "Hãy ghi “có” hoặc “không”.",
    "int_parsing": "Phải là số nguyên.",
    "string_type": "Phải là văn bản.",
    "list_type": "Phải là một danh sách.",
    "extra_forbidden": "Trường này không được phép.",
    "json_invalid": "Nội dung gửi lên không phải JSON hợp lệ.",
    "multipart_invalid": "Nội dung gửi lên không phải biểu mẫu (multipart/form-data) hợp lệ.",
    "uuid_parsing": "Mã hồ sơ không hợp lệ.",
    "ward_code": "Mã xã, phường không hợp lệ.",
    "if_match_format": 'If-Match phải là một phiên bản, ví dụ "3".',
    "unauthorized": "Cần đăng nhập bằng mã truy cập hợp lệ.",
    "cursor_valid": "Con trỏ phân trang không do hệ thống cấp.",
    "moment_format": "Thời điểm phải theo RFC 3339 có múi giờ, hoặc ngày dạng YYYY-MM-DD.",
    "one_past_selector": "Chỉ dùng một trong hai: phiên bản hoặc thời điểm.",
    "no_control_characters": "Không được chứa ký tự điều khiển.",
    "maternity_protection": (
        "Không biệt phái viên chức nữ đang mang thai hoặc nuôi con dưới 36 tháng tuổi (khoản 7"
        " Điều 36 Luật Viên chức 2010); không được phê duyệt đặc cách."
    ),
    "consultation_before_decision": (
        "Ngày gặp gỡ, trao đổi với viên chức phải trước ngày quyết định (Nghị định 115/2020)."
    ),
    "return_after_end": "Ngày tiếp nhận trở lại không được trước ngày kết thúc biệt phái.",
    "return_once": "Việc tiếp nhận trở lại đã được ghi nhận.",
    "term_after_two_tier_units": (
        "Ngày bắt đầu dự kiến trước ngày 01/07/2025, khi chính quyền địa phương hai cấp chưa hình"
        " thành."
    ),
    "effective_date_in_future": "Ngày này muộn hơn ngày hôm nay (giờ Việt Nam).",
    "report_period_duplicate": "Đã có báo cáo loại này cho kỳ này.",
    "no_bidi_controls": (
        "Không được chứa ký tự điều khiển hướng chữ (U+202A–U+202E, U+2066–U+2069): chúng làm"
        " nội dung hiển thị khác với thực tế."
    ),
    "effective_date_out_of_order": (
        "Ngày hiệu lực trước ngày của bước trước đó trong quá trình biệt phái."
    ),
    "correction_supported": "Bước này không có dữ liệu có thể đính chính.",
    "correction_field": "Thông tin này không thuộc bước được đính chính.",
    "correction_value": "Giá trị đính chính không hợp lệ.",
    "correction_changes": "Cần nêu ít nhất một thông tin được đính chính.",
    "version_exists": "Không có bước nào ở phiên bản này của hồ sơ.",
    "date_format": "Ngày phải có dạng dd/mm/yyyy, ví dụ 20/10/2025.",
    "count_format": "Phải là số nguyên không âm.",
    "missing": "Vui lòng nhập thông tin này.",
    "string_too_short": "Không được để trống.",
    "string_pattern_mismatch": "Không được để trống.",
    "string_too_long": "Nội dung quá dài.",
    "too_short": "Cần ít nhất một mục.",
    "too_long": "Quá nhiều dòng.",
    "enum": "Hãy chọn một giá trị trong danh sách.",
    "value_error": "Ngày phải có dạng dd/mm/yyyy, ví dụ 20/10/2025.",
    "date_from_datetime_parsing": "Ngày phải có dạng dd/mm/yyyy, ví dụ 20/10/2025.",
    "date_parsing": "Ngày phải có dạng dd/mm/yyyy, ví dụ 20/10/2025.",
    "int_type": "Phải là số nguyên.",
    "less_than_equal": "Giá trị quá lớn.",
    "greater_than_equal": "Giá trị quá nhỏ.",
    "additions_required": "Cần nêu ít nhất một thành viên hoặc một xã, phường cần bổ sung.",
    "ward_covered": "Xã, phường này không thuộc địa bàn tổ công tác phụ trách.",
    "visit_after_forming": "Ngày làm việc trước ngày thành lập tổ công tác.",
    "secondment_at_commune": "Không có hồ sơ biệt phái này tại xã, phường được làm việc.",
    "secondment_on_post": "Cán bộ biệt phái không còn công tác tại xã, phường này.",
    "one_seat_per_official": "Mỗi cán bộ chỉ được bố trí vào một vị trí trong kế hoạch.",
    "seat_taken": "Vị trí này đã có người được bố trí.",
    "field_needed": "Cán bộ không có lĩnh vực nào mà vị trí này cần.",
    "seat_exists": "Kế hoạch không có vị trí này.",
    "nomination_exists": "Không tìm thấy người được đề cử này trong kế hoạch.",
}
RULES |= {  # plans
    "targets_required": "Kế hoạch cần ít nhất một chỉ tiêu (xã, lĩnh vực, số người).",
    "seats_positive": "Mỗi chỉ tiêu cần ít nhất một người.",
    "nominations_required": "Chưa có cán bộ nào được đề cử.",
    "assignments_required": "Chưa phân công cán bộ nào vào chỉ tiêu: hãy ghép hoặc phân công.",
}
FALLBACK = "Giá trị không hợp lệ."

DETAILS = {
    "unauthorized": "Cần mã truy cập hợp lệ (Authorization: Bearer <token>).",
    "forbidden": "Vai trò của bạn không được thực hiện thao tác này.",
    "not-found": "Không tìm thấy, hoặc nằm ngoài phạm vi của bạn.",
    "illegal-transition": RULES["illegal_transition"],
    "stale-version": RULES["stale_version"],
    "conflict": "Hồ sơ thay đổi liên tục trong lúc xử lý; hãy thử lại.",
    "content-too-large": "Nội dung gửi lên quá lớn.",
    "unavailable": "Cơ sở dữ liệu tạm thời không truy cập được; hãy thử lại sau ít phút.",
    "internal": "Lỗi ngoài dự kiến; hãy báo mã yêu cầu cho quản trị hệ thống.",
}
"""The `detail` of each kind of problem (by the slug of its `type`), when it names no rule."""


def rule_text(rule: str) -> str:
    return RULES.get(rule, FALLBACK)


def wants_vietnamese(accept_language: str) -> bool:
    """Whether Vietnamese is the caller's first choice (`Accept-Language: vi`, `vi-VN`…)."""
    first = accept_language.split(",")[0].split(";")[0].strip().lower()
    return first == "vi" or first.startswith("vi-")
