"""A visit that opens difficulties, against concurrent writers on both stores: the visit and its
difficulties land together or not at all, a racing difficulty on the same secondment keeps its
own number, and a repeat of the command records nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

from domain.application import SecondmentRegistry
from domain.records import FromVisit
from domain.values import Field
from domain.working_group_records import Member, VisitIssue
from domain.working_groups import NewGroup, NewVisit, WorkingGroups
from tests import builders

LEADER = Member("Lò Văn Thắng", "Phó Giám đốc Sở Nội vụ", "Sở Nội vụ tỉnh Điện Biên")
WARD = builders.NAM_NEN.ward_code or 0


def test_a_visit_races_difficulties_on_its_secondment(registry: SecondmentRegistry) -> None:
    sid = builders.deployed(registry).secondment.id
    groups = WorkingGroups(registry)
    formed = NewGroup(11, "Tổ công tác", LEADER, (), (WARD,), date(2025, 10, 1))
    gid = groups.form(builders.meta(), formed).record.id
    issue = VisitIssue("Đường truyền chập chờn", "Mất kết nối", Field.INFORMATION_TECHNOLOGY, sid)
    visit = NewVisit(WARD, date(2025, 11, 5), "Nhận xét", "Hướng dẫn", (issue, issue))
    visit_meta = builders.meta()
    gate = threading.Barrier(4)
    errors: list[BaseException] = []

    def record() -> None:
        gate.wait()
        groups.record_visit(gid, visit_meta, None, visit)

    def raise_one() -> None:
        gate.wait()
        registry.raise_difficulty(sid, builders.meta(), "Thiếu máy in", "Hỏng", Field.CULTURE)

    def guarded(work: Callable[[], None]) -> None:
        try:
            work()
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [
        threading.Thread(target=guarded, args=(w,)) for w in (record, record, raise_one, raise_one)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    s, g = registry.get(sid), groups.get(gid)
    assert len(g.visits) == 1 and len(s.difficulties) == 4
    opened = [i.difficulty_number for i in g.visits[0].issues]
    came = [d.number for d in s.difficulties if d.came_from == FromVisit(gid, 1)]
    assert sorted(opened) == came and len(came) == 2
    again = groups.record_visit(gid, visit_meta, None, visit)
    assert again.replayed and len(registry.get(sid).difficulties) == 4
