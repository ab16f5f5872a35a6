"""The demo's current wave: a few secondments dated from today, marked as sample data ("MẪU" in
their decision number and "(mẫu)" in their names), so that every screen has live work: requests
waiting for approval, deployed officials with recent reports, one overdue report, an open
difficulty, and one secondment ending within 30 days.

Everything else in the demo is the real cases, closed on their real dates; after loading, one
timer pass records only what this wave owes (the one missing weekly report).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workers.demo_kit import Demo

SAMPLE_DECISION = "MẪU-0001/QĐ-UBND"
WARDS = (3325, 3328, 3334, 3127)
"""Communes of Điện Biên (province 11) that host the sample wave."""
MISSING_WEEK = 1
"""The week whose report the first deployed sample official never sent (overdue)."""


def load(demo: Demo) -> None:
    today = demo.app.today()
    office = demo.actor("home_affairs", "snv-dien-bien")
    start = today - timedelta(days=35)
    terms = [
        (start, today + timedelta(days=150)),
        (start, today + timedelta(days=150)),
        (start, today + timedelta(days=20)),
    ]
    deployed = [_request(demo, n, WARDS[n], term, today) for n, term in enumerate(terms)]
    decision = (SAMPLE_DECISION, today - timedelta(days=40), "UBND tỉnh Điện Biên (dữ liệu mẫu)")
    for (sid, _), term in zip(deployed, terms, strict=True):
        demo.decide(f"wave:decision:{sid}", office, [sid], decision, term)
    for n, ((sid, pid), term) in enumerate(zip(deployed, terms, strict=True)):
        host = demo.actor("commune", f"ubnd-xa-{WARDS[n]}")
        demo.app.deploy(sid, demo.meta(host, f"wave:deploy:{n}"), term[0])
        skip = MISSING_WEEK if n == 0 else None
        demo.weekly(sid, f"wave:{n}", pid, term[0], today, "Báo cáo tuần (mẫu)", skip)
    sid, pid = deployed[1]
    demo.app.raise_difficulty(
        sid,
        demo.meta(demo.actor("official", f"official-{pid}"), "wave:difficulty"),
        "Thiếu máy scan hồ sơ (mẫu)",
        "Bộ phận một cửa chưa có máy scan để số hóa hồ sơ",
        demo.v.Field.DIGITAL_TRANSFORMATION,
        effective_on=today - timedelta(days=5),
    )
    for n in (3, 4):
        _request(
            demo, n, WARDS[3], (today + timedelta(days=30), today + timedelta(days=210)), today
        )


def _request(
    demo: Demo, n: int, ward: int, term: tuple[date, date], today: date
) -> tuple[Any, str]:
    pid = f"MAU-{n + 1:04d}"
    name, position = f"Cán bộ mẫu số {n + 1} (mẫu)", "Chuyên viên (mẫu)"
    official = demo.official(name, pid, position, True, first_year=today.year - 3)
    sid = demo.request(
        f"wave:request:{n}",
        demo.actor("agency", "db-khcn"),
        official,
        "Sở Khoa học và Công nghệ",
        (11, ward),
        "secondment",
        ("digital_transformation",),
        term,
        "Dữ liệu mẫu: xã cần hỗ trợ chuyển đổi số",
        today - timedelta(days=45 if n < 3 else 3),
    )
    return sid, pid
