"""The secondment lifecycle, declared once: states, actions, guards, the roles that may give each
action and the words people read. The machine, the API's permission check, the dashboard's
actions, the diagram and the tests read `SECONDMENT`; the names below are views of it."""

from __future__ import annotations

from domain.declaration import Lifecycle, Transition, grant, roles
from domain.values import Role

C, A, OF, H, M = Role.COMMUNE, Role.AGENCY, Role.OFFICIAL, Role.HOME_AFFAIRS, Role.MINISTRY
PROVINCE = (H, M)

STATES = (
    "requested",
    "approved",
    "deployed",
    "reporting",
    "handover",
    "ended",
    "rejected",
    "withdrawn",
)
INITIAL = "requested"
FINAL = ("ended", "rejected", "withdrawn")
ON_POST = ("deployed", "reporting", "handover")
OCCUPYING = ("approved", *ON_POST)
"""States in which a secondment occupies its official (one such secondment per person)."""

READ = "read"
AUDIT = "audit"
REQUEST = "request"
DECIDE = "decide"
DECLARE_NEEDS = "declare_needs"
DECLARE_AREA = "declare_area"
CORRECT = "correct"
"""Correcting a recorded fact: which facts, `api.access.require_correction` decides."""

TABLE: tuple[Transition, ...] = (
    Transition(
        "approve",
        ("requested",),
        "approved",
        (
            "maternity_protection",
            "eligible_or_overridden",
            "consulted_before_decision",
            "term_ordered",
            "term_within_limit",
        ),
        roles(*PROVINCE),
        "Phê duyệt",
    ),
    Transition("reject", ("requested",), "rejected", (), roles(*PROVINCE), "Từ chối"),
    Transition(
        "withdraw", ("requested", "approved"), "withdrawn", (), roles(A, *PROVINCE), "Rút đề nghị"
    ),
    Transition(
        "deploy",
        ("approved",),
        "deployed",
        ("arrival_in_term",),
        roles(C, *PROVINCE),
        "Xác nhận đến nhận nhiệm vụ",
    ),
    Transition(
        "report",
        ("deployed", "reporting"),
        "reporting",
        ("report_period_in_term", "report_period_unique"),
        roles(OF),
        "Gửi báo cáo",
    ),
    Transition(
        "raise_difficulty",
        ON_POST,
        None,
        (),
        roles(C, OF, *PROVINCE),
        "Phản ánh khó khăn, vướng mắc",
    ),
    Transition(
        "escalate_difficulty",
        (*ON_POST, "ended"),
        None,
        ("difficulty_escalates_up",),
        roles(C, OF, *PROVINCE),
        "Báo cáo vướng mắc lên cấp trên",
    ),
    Transition(
        "resolve_difficulty",
        (*ON_POST, "ended"),
        None,
        ("difficulty_unresolved",),
        roles(C, *PROVINCE),
        "Ghi nhận đã tháo gỡ vướng mắc",
    ),
    Transition(
        "extend",
        ("deployed", "reporting"),
        None,
        ("new_end_after_current", "term_within_limit"),
        roles(*PROVINCE),
        "Gia hạn",
    ),
    Transition(
        "handover",
        ("reporting",),
        "handover",
        ("handover_after_arrival",),
        roles(C, OF, *PROVINCE),
        "Bàn giao",
    ),
    Transition(
        "end", ("handover",), "ended", ("end_after_arrival",), roles(C, *PROVINCE), "Kết thúc"
    ),
    Transition(
        "recall", ON_POST, "ended", ("end_after_arrival",), roles(A, *PROVINCE), "Rút về trước hạn"
    ),
    Transition(
        "flag_report_overdue", ("deployed", "reporting"), None, label="Ghi nhận quá hạn báo cáo"
    ),
    Transition(
        "flag_handover_due", ("deployed", "reporting"), None, label="Ghi nhận đến hạn bàn giao"
    ),
    Transition("flag_term_expired", ON_POST, None, label="Ghi nhận hết thời hạn"),
    Transition(
        "return",
        ("ended",),
        None,
        ("not_yet_returned", "return_after_end"),
        roles(A, *PROVINCE),
        "Tiếp nhận trở lại",
    ),
    Transition("flag_return_missing", ("ended",), None, label="Ghi nhận chưa tiếp nhận trở lại"),
)

SECONDMENT = Lifecycle(
    name="secondment",
    states=STATES,
    initial=INITIAL,
    final=FINAL,
    table=TABLE,
    state_labels={
        "requested": "Chờ phê duyệt",
        "approved": "Đã phê duyệt",
        "deployed": "Đã đến nhận nhiệm vụ",
        "reporting": "Đang biệt phái",
        "handover": "Bàn giao",
        "ended": "Kết thúc",
        "rejected": "Từ chối",
        "withdrawn": "Đã rút",
    },
    rights=grant(
        [
            ((C,), (READ, REQUEST, DECLARE_NEEDS, CORRECT)),
            ((A,), (READ, REQUEST, CORRECT)),
            ((OF,), (READ, CORRECT)),
            (PROVINCE, (READ, AUDIT, REQUEST, DECIDE, DECLARE_NEEDS, DECLARE_AREA, CORRECT)),
            ((Role.AUDITOR,), (READ, AUDIT)),
        ]
    ),
    create_label=REQUEST,
    right_labels={REQUEST: "Đề nghị biệt phái"},
)

REPORTS_DUE_IN = SECONDMENT.sources("flag_report_overdue")
"""States in which weekly reports fall due (and a missing one is flagged)."""
HANDOVER_DUE_IN = SECONDMENT.sources("flag_handover_due")
"""States in which handover falls due near the end of the term."""
TERM_RUNS_IN = SECONDMENT.sources("flag_term_expired")
"""States in which a term that has passed its end is flagged as expired."""
RETURN_DUE_IN = SECONDMENT.sources("flag_return_missing")
"""States in which the official's return to the home agency falls due."""
SYSTEM_ACTIONS = SECONDMENT.system_actions
"""Actions only the deadline worker takes; no person is ever offered them."""
ACTIONS: tuple[str, ...] = SECONDMENT.actions
GUARDS: tuple[str, ...] = SECONDMENT.guards


def mermaid() -> str:
    return SECONDMENT.mermaid()
