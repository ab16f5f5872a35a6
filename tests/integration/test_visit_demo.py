"""The demo's study visits (sample data): loaded twice they are recorded once, and one visit was
moved to the next free week to make room for a larger delegation."""

from __future__ import annotations

from domain.application import SecondmentRegistry
from domain.visit import study_visit_id
from domain.visits import StudyVisits
from workers import demo_visits
from workers.demo_kit import Demo


def test_the_demo_visits_and_the_one_moved_for_capacity(registry: SecondmentRegistry) -> None:
    demo = Demo(registry)
    demo_visits.load(demo)
    demo_visits.load(demo)
    visits = StudyVisits(registry, lambda unit: demo_visits.CAPACITY)
    found = [visits.get(study_visit_id(f"demo:visit:{n}:propose")) for n in range(6)]
    assert [v.state for v in found] == [
        "completed", "completed", "completed", "scheduled", "proposed", "cancelled",
    ]  # fmt: skip
    assert [(v.week, v.reschedules) for v in found[:3]] == [
        ("2025-W40", 0), ("2025-W41", 1), ("2025-W40", 0),
    ]  # fmt: skip
    assert all(p.full_name.endswith("(mẫu)") for v in found for p in v.participants)
    assert demo.people["snv-da-nang"] == "Sở Nội vụ thành phố Đà Nẵng"
