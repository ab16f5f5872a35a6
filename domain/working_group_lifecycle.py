"""The working group (tổ công tác) lifecycle, declared once: a group is formed active, takes
members, communes and visits while active, and is closed. The machine, the API's permission
check, the dashboard's actions and the tests read `WORKING_GROUP`."""

from __future__ import annotations

from domain.declaration import Lifecycle, Transition, grant, roles
from domain.values import Role

C, H, M, AU = Role.COMMUNE, Role.HOME_AFFAIRS, Role.MINISTRY, Role.AUDITOR
LEADING = (H, M)
"""The department of home affairs (its province) and the Ministry set groups up and run them."""

FORM = "form_working_group"
READ = "read_working_groups"
AUDIT = "audit_working_groups"
RECORD_VISIT = "record_visit"
ENLARGE = "enlarge_working_group"
CLOSE = "close_working_group"

WORKING_GROUP = Lifecycle(
    "working_group",
    ("active", "closed"),
    "active",
    ("closed",),
    (
        Transition(
            RECORD_VISIT,
            ("active",),
            None,
            ("ward_covered", "visit_after_forming"),
            roles(*LEADING),
            "Ghi nhận chuyến làm việc",
        ),
        Transition(
            ENLARGE,
            ("active",),
            None,
            ("additions_required", "wards_in_province"),
            roles(*LEADING),
            "Bổ sung thành viên, địa bàn",
        ),
        Transition(CLOSE, ("active",), "closed", (), roles(*LEADING), "Kết thúc hoạt động"),
    ),
    state_labels={"active": "Đang hoạt động", "closed": "Đã kết thúc"},
    rights=grant(
        [
            (LEADING, (FORM, READ, AUDIT)),
            ((AU,), (READ, AUDIT)),
            ((C,), (READ,)),
        ]
    ),
    create_label=FORM,
)
