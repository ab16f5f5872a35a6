"""The demo's study visits: commune officials of Đà Nẵng's mountain and border communes come to
the city's Sở Nội vụ to learn (the sources: no cap on numbers; when many register for the same
time the schedule is adjusted). The sources name no visit, date or person, so every visit here
is sample data: participants' names end "(mẫu)". One visit is moved to the next free week to
make room for a larger delegation that could only come that week."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workers.demo_kit import Demo

HOST = "Sở Nội vụ thành phố Đà Nẵng"
REFORM, ARCHIVES = "Phòng Cải cách hành chính", "Phòng Văn thư, lưu trữ"
WEEK_40 = date(2025, 9, 29)
"""Monday of 2025-W40, the first weeks of the department's own batch to the communes."""
VISITS: tuple[tuple[int, int, tuple[str, ...]], ...] = (
    (20455, 3, ("Cải cách thủ tục hành chính", "Một cửa liên thông")),
    (20458, 2, ("Cải cách thủ tục hành chính",)),
    (20443, 6, ("Cải cách thủ tục hành chính", "Số hóa hồ sơ")),
    (20698, 4, ("Văn thư, lưu trữ", "Lập hồ sơ điện tử")),
    (20704, 2, ("Tổ chức bộ máy",)),
    (20716, 3, ("Tuyển dụng, sử dụng công chức",)),
)
"""Commune, participants, topics (sample data)."""
CAPACITY = 2
"""Visits a unit receives per week in the demo (the default SECONDMENTS_STUDY_VISIT_CAPACITY)."""
POSTS = ("Công chức Văn phòng - Thống kê", "Công chức Tư pháp - Hộ tịch", "Công chức Nội vụ")


def load(demo: Demo) -> None:
    from domain.visit_values import Participant, week_monday
    from domain.visits import Given, Proposal, Slot, StudyVisits

    visits = StudyVisits(demo.app, lambda unit: CAPACITY)
    ids = []
    for n, (ward, people, topics) in enumerate(VISITS):
        commune = demo.actor("commune", f"ubnd-xa-{ward}")
        names = tuple(
            Participant(f"Cán bộ xã {n + 1}.{i + 1} (mẫu)", POSTS[i % len(POSTS)])
            for i in range(people)
        )
        weeks = ("2025-W40",) if n < 3 else ("2025-W42", "2025-W43")
        proposal = Proposal(48, ward, names, topics, HOST, weeks, WEEK_40 - timedelta(days=14))
        ids.append(visits.propose(demo.meta(commune, f"visit:{n}:propose"), proposal).record.id)
    office = demo.actor("home_affairs", "snv-da-nang", HOST)

    def meta(step: str) -> Any:
        return demo.meta(office, f"visit:{step}")

    def slot(start: date, days: int = 1, unit: str = REFORM) -> Slot:
        return Slot(start, start + timedelta(days=days - 1), unit, WEEK_40 - timedelta(days=3))

    first, second, large, archive, _, cancelled = ids
    visits.schedule(Given(first, meta("schedule:0")), slot(WEEK_40))
    visits.schedule(Given(second, meta("schedule:1")), slot(WEEK_40 + timedelta(days=1)))
    # The large delegation can come only in week 40, which is full: the second visit moves.
    moved = week_monday(visits.free_weeks(48, REFORM, "2025-W40")[0])
    visits.reschedule(Given(second, meta("reschedule:1")), slot(moved))
    visits.schedule(Given(large, meta("schedule:2")), slot(WEEK_40 + timedelta(days=2), 2))
    visits.schedule(
        Given(archive, meta("schedule:3")), slot(WEEK_40 + timedelta(weeks=3), 1, ARCHIVES)
    )
    feedback = "Nắm được quy trình một cửa và số hóa hồ sơ; đề nghị gửi thêm tài liệu (mẫu)"
    for n, (visit, day) in enumerate(
        ((first, WEEK_40), (large, WEEK_40 + timedelta(2)), (second, moved))
    ):
        visits.attend(Given(visit, meta(f"attend:{n}")), day, None)
        visits.complete(Given(visit, meta(f"complete:{n}")), feedback, day + timedelta(days=7))
    visits.cancel(Given(cancelled, meta("cancel:5")), "Xã bận tổ chức đại hội (mẫu)", WEEK_40)
