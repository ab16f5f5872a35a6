"""The study visit's declaration: the table read as states × actions, who may act, the words
people read, and the diagram drawn from the machine."""

from __future__ import annotations

from datetime import date

from domain.values import Role
from domain.visit_lifecycle import ERASE, PROPOSE, READ, STUDY_VISIT
from domain.visit_values import week_monday, week_of, weeks_after

LEGAL = {
    "proposed": ["schedule", "cancel"],
    "scheduled": ["reschedule", "attend", "cancel"],
    "attended": ["complete"],
    "completed": [],
    "cancelled": [],
}


def test_the_table_read_as_states_and_actions() -> None:
    assert {s: STUDY_VISIT.allowed_actions(s) for s in STUDY_VISIT.states} == LEGAL
    assert STUDY_VISIT.transition_for("scheduled", "reschedule").destination("scheduled") == (
        "scheduled"
    )
    assert STUDY_VISIT.final == ("completed", "cancelled")


def test_who_may_act() -> None:
    department = {"schedule", "reschedule", "attend", "complete", "cancel", PROPOSE, READ, ERASE}
    assert STUDY_VISIT.permissions(Role.HOME_AFFAIRS) == department
    assert STUDY_VISIT.permissions(Role.MINISTRY) == department
    assert STUDY_VISIT.permissions(Role.COMMUNE) == {PROPOSE, READ}
    assert STUDY_VISIT.permissions(Role.AUDITOR) == {READ}
    assert not STUDY_VISIT.permissions(Role.AGENCY) and not STUDY_VISIT.permissions(Role.OFFICIAL)
    assert STUDY_VISIT.allowed_for(Role.COMMUNE, "proposed") == []


def test_labels_and_diagram() -> None:
    assert set(STUDY_VISIT.state_labels) == set(STUDY_VISIT.states)
    assert all(STUDY_VISIT.action_label(a) != a for a in STUDY_VISIT.actions)
    diagram = STUDY_VISIT.mermaid()
    assert "[*] --> proposed: propose" in diagram
    guards = "visit_dates_ordered, visit_in_one_week, unit_week_free"
    assert f"scheduled --> scheduled: reschedule [{guards}]" in diagram


def test_iso_weeks() -> None:
    assert week_of(date(2026, 1, 1)) == "2026-W01"
    assert week_of(date(2025, 12, 29)) == "2026-W01"
    assert week_monday("2026-W03") == date(2026, 1, 12)
    assert weeks_after("2025-W52", 2) == ["2026-W01", "2026-W02"]
