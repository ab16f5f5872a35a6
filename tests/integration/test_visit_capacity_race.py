"""Two schedules racing for the last place of a unit's week on PostgreSQL: both read the week
with one place left, both decide, and only one is recorded (the other is refused with the next
free weeks), because the week's places are an aggregate saved with the visit."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from uuid import UUID

import pytest

from api.settings import Settings, open_registry
from domain.application import SecondmentRegistry
from domain.values import Actor, CommandMeta, Role
from domain.visit_capacity import UnitWeek, unit_week_id
from domain.visit_values import Participant, week_of
from domain.visits import Given, Proposal, Slot, StudyVisits, WeekFull

UNIT = "Phòng Tổ chức - Biên chế"


@pytest.fixture
def pg_registry(pg_store: Settings) -> Iterator[SecondmentRegistry]:
    app = open_registry(pg_store)
    yield app
    app.close()


def meta(command: str) -> CommandMeta:
    return CommandMeta(Actor("hr-danang", Role.HOME_AFFAIRS), command, command)


class Racing:
    """A capacity of one whose first reading in each thread waits for the other thread, so that
    both have loaded the week before either saves."""

    def __init__(self) -> None:
        self.barrier = threading.Barrier(2, timeout=10)
        self.waited: set[int] = set()
        self.readings = 0

    def __call__(self, unit: str) -> int:
        me = threading.get_ident()
        self.readings += 1
        if me not in self.waited:
            self.waited.add(me)
            self.barrier.wait()
        return 1


PROPOSAL = Proposal(48, 20443, (Participant("A (mẫu)", "Công chức"),), ("CCHC",), UNIT, ())


def race(app: SecondmentRegistry, round_: int) -> tuple[Racing, dict[UUID, object], date]:
    """Two visits scheduled at once into a week with one place; what each got."""
    racing = Racing()
    visits = StudyVisits(app, racing)
    ids = [visits.propose(meta(f"p{round_}-{i}"), PROPOSAL).record.id for i in range(2)]
    monday = date(2026, 3, 2) + timedelta(weeks=round_)
    outcomes: dict[UUID, object] = {}

    def schedule(visit_id: UUID, command: str) -> None:
        try:
            to = Given(visit_id, meta(command))
            outcomes[visit_id] = visits.schedule(to, Slot(monday, monday, UNIT))
        except Exception as e:  # the assertions name what each thread got
            outcomes[visit_id] = e

    threads = [
        threading.Thread(target=schedule, args=(v, f"s{round_}-{i}")) for i, v in enumerate(ids)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return racing, outcomes, monday


def test_two_schedules_cannot_both_take_the_last_place(pg_registry: SecondmentRegistry) -> None:
    for round_ in range(4):
        racing, outcomes, monday = race(pg_registry, round_)
        refused = [o for o in outcomes.values() if isinstance(o, WeekFull)]
        assert len(refused) == 1, outcomes
        assert racing.readings == 4  # both decided; the loser retried, then sought free weeks
        assert refused[0].free_weeks[0] == week_of(monday + timedelta(weeks=1))
        held: UnitWeek = pg_registry.repository.get(unit_week_id(48, UNIT, week_of(monday)))
        assert held.visits == [v for v, o in outcomes.items() if not isinstance(o, WeekFull)]
