"""The plan lifecycle, declared once: from targets to nominations, a matching, and one decision
(kế hoạch biệt phái: drafting → nominating → matched → decided, or cancelled)."""

from __future__ import annotations

from domain.declaration import Lifecycle, Transition, grant, roles
from domain.values import Role

C, A, H, M, AU = Role.COMMUNE, Role.AGENCY, Role.HOME_AFFAIRS, Role.MINISTRY, Role.AUDITOR
PROVINCE = (H, M)

CREATE = "create_plan"
READ = "read_plan"
OPEN = ("drafting", "nominating", "matched")
"""States in which a plan is still open (a commune's missing fields may point at it)."""

PLAN = Lifecycle(
    name="plan",
    states=("drafting", "nominating", "matched", "decided", "cancelled"),
    initial="drafting",
    final=("decided", "cancelled"),
    table=(
        Transition(
            "amend_targets",
            ("drafting",),
            None,
            ("targets_given",),
            roles(*PROVINCE),
            "Sửa chỉ tiêu",
        ),
        Transition(
            "open_nominations",
            ("drafting",),
            "nominating",
            ("targets_given",),
            roles(*PROVINCE),
            "Mở đề cử",
        ),
        Transition(
            "nominate", ("nominating", "matched"), "nominating", (), roles(A, *PROVINCE), "Đề cử"
        ),
        Transition(
            "match",
            ("nominating", "matched"),
            "matched",
            ("nominees_given",),
            roles(*PROVINCE),
            "Ghép tự động",
        ),
        Transition(
            "assign",
            ("nominating", "matched"),
            "matched",
            ("assignments_valid",),
            roles(*PROVINCE),
            "Phân công thủ công",
        ),
        Transition(
            "decide", ("matched",), "decided", ("seats_given",), roles(*PROVINCE), "Ra quyết định"
        ),
        Transition("cancel", OPEN, "cancelled", (), roles(*PROVINCE), "Hủy kế hoạch"),
    ),
    state_labels={
        "drafting": "Đang lập",
        "nominating": "Đang đề cử",
        "matched": "Đã ghép",
        "decided": "Đã quyết định",
        "cancelled": "Đã hủy",
    },
    rights=grant([((H, M), (CREATE, READ)), ((A, C, AU), (READ,))]),
    create_label="draft",
)
