"""The Ministry of Home Affairs pilot: 34 officials reinforce 33 provinces (not Hà Nội; Hồ Chí
Minh City gets 2) for 2 months until 03/11/2025; the host is the province (no ward)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workers.demo_kit import Demo
from workers.demo_kit import invented_name

MINISTRY_POSITIONS = (
    "Phó Vụ trưởng",
    "Chuyên viên cao cấp",
    "Chuyên viên chính",
    "Nghiên cứu viên chính",
)


def load(demo: Demo) -> None:
    from vietnam_provinces import Province

    term = (date(2025, 9, 3), date(2025, 11, 3))
    ministry = demo.actor("ministry", "bnv-vu-tccb", "Bộ Nội vụ (Vụ Tổ chức cán bộ)")
    provinces = [int(p.code) for p in Province.iter_all() if int(p.code) != 1] + [79]
    posted = []
    for n, province in enumerate(provinces, start=1):
        position = MINISTRY_POSITIONS[n % 4]
        pid = f"BNV-{n:04d}"
        official = demo.official(invented_name(200 + n), pid, position, position.startswith("Phó"))
        fields = ("home_affairs", "records_archives") if n % 5 == 0 else ("home_affairs",)
        sid = demo.request(
            f"bnv:request:{n}",
            ministry,
            official,
            "Bộ Nội vụ",
            (province, None),
            "reinforcement",
            fields,
            term,
            "Thí điểm tăng cường cán bộ Bộ Nội vụ hỗ trợ địa phương",
            date(2025, 8, 25),
        )
        posted.append((sid, pid, province))
    demo.decide(
        "bnv:decision",
        ministry,
        [p[0] for p in posted],
        ("DEMO-BNV/QĐ-BNV", date(2025, 8, 29), "Bộ Nội vụ"),
        term,
    )
    for i, (sid, pid, province) in enumerate(posted):
        host_office = demo.actor("home_affairs", f"snv-{province}")
        demo.app.deploy(sid, demo.meta(host_office, f"bnv:deploy:{i}"), term[0])
        demo.report(
            sid,
            f"bnv:plan:{i}",
            pid,
            "weekly_plan",
            (date(2025, 9, 3), date(2025, 9, 7)),
            "Lịch công tác tuần: làm việc với Sở Nội vụ, đi cơ sở tại 3 xã",
            (0, 3, 3),
        )
        demo.weekly(
            sid,
            f"bnv:{i}",
            pid,
            date(2025, 9, 8),
            date(2025, 10, 27),
            "Báo cáo định kỳ gửi Bộ: kết quả vận hành chính quyền hai cấp",
        )
        if i == 0:
            official = demo.actor("official", f"official-{pid}")
            demo.app.raise_difficulty(
                sid,
                demo.meta(official, "bnv:difficulty"),
                "Chưa rõ thẩm quyền phê duyệt vị trí việc làm cấp xã",
                "Đề nghị Bộ hướng dẫn thống nhất",
                demo.v.Field.HOME_AFFAIRS,
                effective_on=date(2025, 9, 20),
            )
            demo.app.escalate_difficulty(
                sid,
                demo.meta(official, "bnv:escalate"),
                1,
                demo.v.EscalationLevel.MINISTRY,
                "Vượt thẩm quyền tỉnh",
                effective_on=date(2025, 9, 22),
            )
        demo.handover_and_end(
            sid,
            f"bnv:close:{i}",
            host_office,
            date(2025, 10, 27),
            date(2025, 11, 3),
            "Lãnh đạo Sở Nội vụ",
        )
