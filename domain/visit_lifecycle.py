"""The study visit's lifecycle, declared once (Đà Nẵng: commune officials come to the
department to learn): proposed → scheduled → attended → completed, or cancelled; a scheduled
visit may be moved to another week. The machine, the API's permission check, the dashboard's
actions, the diagram and the tests read `STUDY_VISIT`."""

from __future__ import annotations

from domain.declaration import Lifecycle, Transition, grant, roles
from domain.values import Role

C, H, M, AU = Role.COMMUNE, Role.HOME_AFFAIRS, Role.MINISTRY, Role.AUDITOR
DEPARTMENT = roles(H, M)

PROPOSE = "propose"
READ = "read_visits"
ERASE = "erase_participants"
"""Destroying the key of a visit's participants (personal data law), in any state."""
SCHEDULING_GUARDS = ("visit_dates_ordered", "visit_in_one_week", "unit_week_free")

LABELS = {
    "proposed": "Đề xuất",
    "scheduled": "Đã xếp lịch",
    "attended": "Đã đến học tập",
    "completed": "Hoàn thành",
    "cancelled": "Đã hủy",
}
"""The states, in the order of the path, with the words people read."""
TABLE = (
    Transition("schedule", ("proposed",), "scheduled", SCHEDULING_GUARDS, DEPARTMENT, "Xếp lịch"),
    Transition("reschedule", ("scheduled",), None, SCHEDULING_GUARDS, DEPARTMENT, "Đổi lịch"),
    Transition(
        "attend", ("scheduled",), "attended", ("attended_in_visit",), DEPARTMENT, "Đã đến học tập"
    ),
    Transition("complete", ("attended",), "completed", (), DEPARTMENT, "Hoàn thành"),
    Transition("cancel", ("proposed", "scheduled"), "cancelled", (), DEPARTMENT, "Hủy"),
)
RIGHTS = grant([((C, H, M), (PROPOSE,)), ((C, H, M, AU), (READ,)), ((H, M), (ERASE,))])

STUDY_VISIT = Lifecycle(
    "study_visit",
    tuple(LABELS),
    "proposed",
    ("completed", "cancelled"),
    TABLE,
    LABELS,
    RIGHTS,
    PROPOSE,
)
