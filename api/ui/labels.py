"""Vietnamese words for what the domain names in English, and dates the way people write them."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from domain.lifecycle import SECONDMENT

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

STATES: dict[str, str] = dict(SECONDMENT.state_labels)
"""The secondment's states in Vietnamese, as its declaration words them."""
KINDS = {
    "secondment": "Biệt phái",
    "reinforcement": "Tăng cường",
    "assignment": "Phân công",
    "in_place": "Biệt phái tại chỗ",
}
FIELDS = {
    "information_technology": "Công nghệ thông tin",
    "digital_transformation": "Chuyển đổi số",
    "information_communications": "Thông tin và truyền thông",
    "industry_trade": "Công thương",
    "construction": "Xây dựng",
    "transport": "Giao thông",
    "urban_management": "Quản lý đô thị",
    "labour": "Lao động",
    "home_affairs": "Nội vụ",
    "justice": "Tư pháp",
    "agriculture": "Nông nghiệp",
    "land_management": "Quản lý đất đai",
    "natural_resources_environment": "Tài nguyên và môi trường",
    "cadastral": "Đo đạc địa chính",
    "irrigation": "Thủy lợi",
    "economy": "Kinh tế",
    "culture": "Văn hóa",
    "health": "Y tế",
    "education": "Giáo dục",
    "finance": "Tài chính",
    "records_archives": "Văn thư, lưu trữ",
}
RATINGS = {
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
    "good": "Hoàn thành tốt nhiệm vụ",
    "completed": "Hoàn thành nhiệm vụ",
    "not_completed": "Không hoàn thành nhiệm vụ",
}
CATEGORIES = {"civil_servant": "Công chức", "public_employee": "Viên chức"}
ROLES = {
    "commune": "UBND xã, phường",
    "agency": "Cơ quan cử cán bộ",
    "official": "Cán bộ biệt phái",
    "home_affairs": "Sở Nội vụ",
    "ministry": "Bộ Nội vụ",
    "auditor": "Kiểm tra, giám sát",
    "admin": "Quản trị hệ thống",
    "system": "Hệ thống",
}
ACTIONS: dict[str, str] = dict(SECONDMENT.action_labels)
"""The secondment's actions (the table's rows, and `request`) as its declaration words them."""
DONE = {
    "request": "Đã lập đề nghị biệt phái.",
    "needs": "Đã ghi nhận khai báo lĩnh vực còn thiếu.",
    "approve": "Đã phê duyệt.",
    "reject": "Đã từ chối đề nghị.",
    "withdraw": "Đã rút đề nghị.",
    "deploy": "Đã xác nhận cán bộ đến nhận nhiệm vụ.",
    "report": "Đã gửi báo cáo.",
    "raise_difficulty": "Đã ghi nhận khó khăn, vướng mắc.",
    "escalate_difficulty": "Đã báo cáo vướng mắc lên cấp trên.",
    "resolve_difficulty": "Đã ghi nhận vướng mắc được tháo gỡ.",
    "extend": "Đã gia hạn.",
    "handover": "Đã bắt đầu bàn giao.",
    "end": "Đã kết thúc biệt phái.",
    "recall": "Đã rút cán bộ về trước hạn.",
    "return": "Đã ghi nhận cán bộ được tiếp nhận trở lại.",
}
EVENTS = {
    "Requested": "Đề nghị biệt phái",
    "Approved": "Phê duyệt",
    "Rejected": "Từ chối",
    "Withdrawn": "Rút đề nghị",
    "Deployed": "Đến nhận nhiệm vụ",
    "ReportSubmitted": "Gửi báo cáo",
    "DifficultyRaised": "Phản ánh khó khăn, vướng mắc",
    "DifficultyEscalated": "Báo cáo vướng mắc lên cấp trên",
    "DifficultyResolved": "Tháo gỡ vướng mắc",
    "Extended": "Gia hạn",
    "HandoverStarted": "Bàn giao",
    "Ended": "Kết thúc",
    "Recalled": "Rút về trước hạn",
    "ReportOverdue": "Quá hạn báo cáo",
    "HandoverDue": "Đến hạn bàn giao",
    "TermExpired": "Hết thời hạn biệt phái",
    "Corrected": "Đính chính",
    "Returned": "Tiếp nhận trở lại",
    "ReturnMissing": "Quá hạn tiếp nhận trở lại",
}
REPORT_KINDS = {"weekly_plan": "Lịch công tác tuần", "progress": "Báo cáo kết quả"}
LEVELS = {"province": "Tỉnh, thành phố", "ministry": "Bộ Nội vụ"}
DIFFICULTY_STATUSES = {"open": "Đang mở", "escalated": "Đã báo cáo lên", "resolved": "Đã tháo gỡ"}
INITIATORS = {
    "home_agency": "Cơ quan cử cán bộ",
    "host": "Nơi tiếp nhận",
    "province": "Tỉnh, thành phố",
    "ministry": "Bộ Nội vụ",
}
OUTCOMES = {"completed": "Hoàn thành", "recalled": "Rút về trước hạn"}
GUARDS = {
    "eligible_or_overridden": "đủ điều kiện, hoặc có lý do phê duyệt đặc cách",
    "term_ordered": "ngày bắt đầu không sau ngày kết thúc",
    "term_within_limit": "tổng thời hạn, kể cả gia hạn, không quá mức cho phép",
    "arrival_in_term": "ngày đến trong thời hạn và không trước ngày quyết định",
    "report_period_in_term": "kỳ báo cáo nằm trong thời hạn",
    "report_period_unique": "mỗi kỳ báo cáo một lần",
    "new_end_after_current": "ngày kết thúc mới sau ngày kết thúc hiện tại",
    "handover_after_arrival": "ngày bàn giao không trước ngày đến",
    "end_after_arrival": "ngày kết thúc không trước ngày đến",
    "difficulty_escalates_up": "chỉ báo cáo lên cấp cao hơn, khi chưa tháo gỡ",
    "difficulty_unresolved": "vướng mắc chưa được tháo gỡ",
    "maternity_protection": "không đang mang thai hoặc nuôi con dưới 36 tháng tuổi",
    "consulted_before_decision": "gặp gỡ, trao đổi với viên chức trước ngày quyết định",
    "not_yet_returned": "chưa ghi nhận tiếp nhận trở lại",
    "return_after_end": "ngày tiếp nhận trở lại không trước ngày kết thúc",
}
TABLES: dict[str, dict[str, str]] = {
    "state": STATES,
    "kind": KINDS,
    "field": FIELDS,
    "rating": RATINGS,
    "category": CATEGORIES,
    "role": ROLES,
    "action": ACTIONS,
    "event": EVENTS,
    "report_kind": REPORT_KINDS,
    "level": LEVELS,
    "difficulty_status": DIFFICULTY_STATUSES,
    "initiator": INITIATORS,
    "outcome": OUTCOMES,
    "guard": GUARDS,
}


NOT_RATED_GOOD = re.compile(r"rated below 'good' \(or not rated\) in (\d{4})")
NOT_LEADER = "neither a leader nor in a succession plan"


def eligibility(failure: str) -> str:
    """One reason the domain gives for an official not being eligible, in Vietnamese."""
    found = NOT_RATED_GOOD.fullmatch(failure)
    if found:
        year = found.group(1)
        return f"Năm {year} chưa đạt “Hoàn thành tốt nhiệm vụ” trở lên (hoặc chưa có xếp loại)"
    if failure == NOT_LEADER:
        return "Không giữ chức vụ lãnh đạo, quản lý và không trong quy hoạch"
    return failure


def label(value: Any, table: str) -> str:
    """The Vietnamese word for an enum member or code; the code itself if there is none."""
    code = value.value if isinstance(value, Enum) else str(value)
    return TABLES[table].get(code, code)


def vn_date(value: date | str | None) -> str:
    """dd/mm/yyyy (an ISO string is accepted too); empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


def vn_datetime(value: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam time."""
    if value is None:
        return ""
    return value.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def vn_datetime_text(value: str | None) -> str:
    """An ISO timestamp (as the read models keep it) as dd/mm/yyyy HH:MM in Vietnam time."""
    return vn_datetime(datetime.fromisoformat(value)) if value else ""


def parse_vn_date(text: str) -> date | None:
    """dd/mm/yyyy (or d/m/yyyy, or yyyy-mm-dd) → date; None when it is not a date."""
    text = text.strip()
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return date(year, month, day) if year >= 1000 else None
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None
