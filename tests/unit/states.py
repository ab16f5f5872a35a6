"""Secondments in each lifecycle state, built in memory through the aggregate's own commands."""

from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import suppress
from datetime import date, timedelta
from typing import Any

from domain.errors import DomainError
from domain.lifecycle import SECONDMENT
from domain.records import Handover, Report, Return
from domain.secondment import Secondment
from domain.values import (
    Decision,
    EscalationLevel,
    Field,
    HostEvaluation,
    Initiator,
    Kind,
    Rating,
    ReportKind,
    Term,
)
from tests import builders

TODAY = date(2025, 11, 1)
EXTENSION = Decision("3001/QĐ-UBND", date(2026, 3, 1), "UBND tỉnh Điện Biên")


def new_secondment(**overrides: Any) -> Secondment:
    values: dict[str, Any] = {
        "meta": builders.meta(),
        "to_state": SECONDMENT.initial,
        "effective_on": TODAY,
        "official": builders.official(),
        "home_agency": "Sở Khoa học và Công nghệ",
        "host": builders.NAM_NEN,
        "kind": Kind.SECONDMENT,
        "fields": (Field.INFORMATION_TECHNOLOGY,),
        "planned": builders.TERM,
        "reason": "thiếu cán bộ",
    }
    values.update(overrides)
    return Secondment(**values)


def report(start: date = date(2025, 10, 20), end: date = date(2025, 10, 26)) -> Report:
    return Report(ReportKind.PROGRESS, start, end, "Đã xử lý hồ sơ", 12, 3, 2, end)


def next_report(s: Secondment) -> Report:
    """A report for the week after those on the record (a period is reported once)."""
    start = date(2025, 10, 20) + timedelta(weeks=len(s.reports))
    return report(start, start + timedelta(days=6))


def handover(planned_on: date = date(2026, 4, 1)) -> Handover:
    return Handover(planned_on, ("Chủ tịch UBND xã",), ("Hồ sơ thủ tục hành chính",))


COMMANDS: dict[str, Callable[[Secondment], Any]] = {
    "approve": lambda s: s.approve(
        builders.meta(), builders.DECISION_2446, builders.TERM, None, 36
    ),
    "reject": lambda s: s.reject(builders.meta(), "không phù hợp", TODAY),
    "withdraw": lambda s: s.withdraw(builders.meta(), "rút đề nghị", TODAY),
    "deploy": lambda s: s.deploy(builders.meta(), date(2025, 10, 21)),
    "report": lambda s: s.submit_report(builders.meta(), next_report(s)),
    "raise_difficulty": lambda s: s.raise_difficulty(
        builders.meta(), "Thiếu thiết bị", "Máy tính hỏng", Field.INFORMATION_TECHNOLOGY, TODAY
    ),
    "escalate_difficulty": lambda s: s.escalate_difficulty(
        builders.meta(), 1, EscalationLevel.PROVINCE, "cần tỉnh hỗ trợ", TODAY
    ),
    "resolve_difficulty": lambda s: s.resolve_difficulty(builders.meta(), 1, "Đã cấp máy", TODAY),
    "extend": lambda s: s.extend(builders.meta(), date(2026, 6, 30), EXTENSION, 36),
    "handover": lambda s: s.start_handover(builders.meta(), handover()),
    "end": lambda s: s.end(builders.meta(), date(2026, 4, 19), HostEvaluation(Rating.GOOD, "Tốt")),
    "recall": lambda s: s.recall(
        builders.meta(), date(2026, 1, 10), "Cơ quan cần", Initiator.HOME_AGENCY
    ),
    "flag_report_overdue": lambda s: s.flag_report_overdue(
        builders.meta(), Term(date(2025, 10, 20), date(2025, 10, 26)), date(2025, 10, 28)
    ),
    "flag_handover_due": lambda s: s.flag_handover_due(builders.meta(), date(2026, 4, 5)),
    "flag_term_expired": lambda s: s.flag_term_expired(builders.meta()),
    "return": lambda s: s.record_return(builders.meta(), Return(date(2026, 4, 20), "Phó phòng")),
    "flag_return_missing": lambda s: s.flag_return_missing(builders.meta(), date(2026, 5, 12)),
}

PATHS: dict[str, tuple[str, ...]] = {
    "requested": (),
    "approved": ("approve",),
    "deployed": ("approve", "deploy", "raise_difficulty"),
    "reporting": ("approve", "deploy", "raise_difficulty", "report"),
    "handover": ("approve", "deploy", "raise_difficulty", "report", "handover"),
    "ended": ("approve", "deploy", "raise_difficulty", "report", "handover", "end"),
    "rejected": ("reject",),
    "withdrawn": ("withdraw",),
}


ROUTES: dict[str, tuple[tuple[str, ...], ...]] = {
    **{state: (path,) for state, path in PATHS.items()},
    "ended": (
        PATHS["ended"],
        ("approve", "deploy", "raise_difficulty", "recall"),
        ("approve", "deploy", "raise_difficulty", "report", "handover", "recall"),
    ),
}
"""Every way into a state that a read model may tell apart (ended: completed or recalled)."""


def every_row(rng: random.Random, tail: int = 3) -> list[Secondment]:
    """A secondment for every row of the lifecycle table, every source state of it and every
    route into that state: brought there, the row's action taken, then up to `tail` random
    actions legal where it stands (refused ones change nothing)."""
    walked = []
    for row in SECONDMENT.table:
        for source in row.sources:
            for route in ROUTES[source]:
                secondment = new_secondment(official=builders.official())
                for action in route:
                    COMMANDS[action](secondment)
                COMMANDS[row.action](secondment)
                for _ in range(rng.randint(0, tail)):
                    allowed = SECONDMENT.allowed_actions(secondment.state)
                    if not allowed:
                        break
                    with suppress(DomainError):
                        COMMANDS[rng.choice(allowed)](secondment)
                walked.append(secondment)
    return walked


def in_state(state: str) -> Secondment:
    secondment = new_secondment()
    for action in PATHS[state]:
        COMMANDS[action](secondment)
    assert secondment.state == state
    return secondment


def term(start: date, end: date) -> Term:
    return Term(start, end)
