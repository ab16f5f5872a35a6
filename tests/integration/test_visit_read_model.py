"""The study_visits read model: processed in small batches as the visits change, and rebuilt
from the log, it holds the same rows (both stores)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from domain.values import Actor, CommandMeta, Role
from domain.visit_values import Participant
from domain.visits import Given, Proposal, Slot, StudyVisits
from tests.integration.test_projections import dump, rebuild_all, runner, world

__all__ = ["world"]


def meta(command: str) -> CommandMeta:
    return CommandMeta(Actor("hr-danang", Role.HOME_AFFAIRS), command, command)


def test_a_rebuild_gives_the_same_visit_rows(world: Any) -> None:
    app, read = world
    visits = StudyVisits(app, lambda unit: 2)
    r = runner(app, read, batch_size=3)
    people = tuple(Participant(f"Cán bộ {i} (mẫu)", "Công chức") for i in range(4))
    for i in range(9):
        ward = (20443, 20455, 20458)[i % 3]
        p = Proposal(48, ward, people[: i % 4 + 1], ("CCHC",), "Sở Nội vụ", ("2026-W10",))
        v = visits.propose(meta(f"p{i}"), p).record.id
        monday = date(2026, 3, 2) + timedelta(weeks=i // 4)
        if i % 3:
            visits.schedule(Given(v, meta(f"s{i}")), Slot(monday, monday, f"Phòng {i % 2}"))
        if i % 3 == 2:
            visits.attend(Given(v, meta(f"a{i}")), monday, None)
        if i % 4 == 0 and i % 3 != 2:
            visits.cancel(Given(v, meta(f"c{i}")), "Bận")
        r.catch_up()
    incremental = dump(read)
    assert len(incremental["study_visits."]) == 9
    rebuild_all(app, read)
    assert dump(read) == incremental
