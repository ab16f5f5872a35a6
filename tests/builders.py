"""Test data builders: unique references per test, so tests can share one database."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from domain.application import Recorded, SecondmentRegistry
from domain.records import Report
from domain.values import (
    Actor,
    Appraisal,
    Category,
    CommandMeta,
    Decision,
    Field,
    Host,
    Kind,
    Official,
    Rating,
    ReportKind,
    Role,
    Term,
)

NAM_NEN = Host(province_code=11, ward_code=3194)
SAM_MUN = Host(province_code=11, ward_code=3356)
DECISION_2446 = Decision("2446/QĐ-UBND", date(2025, 10, 17), "UBND tỉnh Điện Biên")
TERM = Term(date(2025, 10, 20), date(2026, 4, 19))


def meta(
    role: Role = Role.HOME_AFFAIRS, sub: str = "tester", command_id: str | None = None
) -> CommandMeta:
    return CommandMeta(Actor(sub, role), command_id or uuid.uuid4().hex, uuid.uuid4().hex)


def official(eligible: bool = True, **overrides: Any) -> Official:
    rating = Rating.GOOD if eligible else Rating.COMPLETED
    values: dict[str, Any] = {
        "full_name": "Đào Duy Hưng",
        "personnel_id": f"DB-KHCN-{uuid.uuid4().hex[:10]}",
        "category": Category.PUBLIC_EMPLOYEE,
        "position": "Viên chức Phòng Công nghệ số",
        "is_leader": False,
        "in_succession_plan": True,
        "appraisals": (
            Appraisal(2022, rating),
            Appraisal(2023, Rating.GOOD),
            Appraisal(2024, Rating.EXCELLENT),
        ),
    }
    values.update(overrides)
    return Official(**values)


def request(app: SecondmentRegistry, who: Official | None = None, **overrides: Any) -> Recorded:
    values: dict[str, Any] = {
        "meta": meta(),
        "official": who or official(),
        "home_agency": "Sở Khoa học và Công nghệ",
        "host": NAM_NEN,
        "kind": Kind.SECONDMENT,
        "fields": [Field.INFORMATION_TECHNOLOGY, Field.DIGITAL_TRANSFORMATION],
        "planned": TERM,
        "reason": "Xã thiếu cán bộ công nghệ thông tin",
    }
    values.update(overrides)
    return app.request(**values)


def approved(app: SecondmentRegistry, **overrides: Any) -> Recorded:
    r = request(app, **overrides)
    return app.approve(r.secondment.id, meta(), DECISION_2446, TERM)


def deployed(app: SecondmentRegistry, **overrides: Any) -> Recorded:
    r = approved(app, **overrides)
    return app.deploy(r.secondment.id, meta(), date(2025, 10, 21))


def long_lived(app: SecondmentRegistry, events: int) -> UUID:
    """A deployed secondment with reports and difficulties, saved one event at a time
    (as one command each would, so snapshots and timestamps fall as they do in service)."""
    s = app.get(deployed(app).secondment.id)
    start = date(2025, 10, 20)
    for n in range(events - s.version):
        first = start + timedelta(days=n % 150)
        if n % 10 == 9:
            s.raise_difficulty(meta(), "Vướng mắc", "", Field.LAND_MANAGEMENT, first)
        else:
            last = first + timedelta(days=n // 150)  # no period twice (a rule), all in term
            report = Report(ReportKind.PROGRESS, first, last, "Báo cáo tuần", 3, 1, 0, last)
            s.submit_report(meta(), report)
        app.save(s)
    return s.id
