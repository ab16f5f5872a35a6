"""Study visits inside the registry's application: propose, schedule into a unit's week within
its capacity (proposing the next free weeks when it is full), reschedule, attend, complete and
cancel, each through the shared command plumbing (`domain.commanding`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

from domain import rules
from domain.commanding import Act, Commands, Done
from domain.errors import NotFound, RuleViolation
from domain.values import CommandMeta, Violation
from domain.visit import StudyVisit, study_visit_id
from domain.visit_capacity import UnitWeek, unit_week_id
from domain.visit_lifecycle import STUDY_VISIT
from domain.visit_values import Participant, is_week, week_of, weeks_after

Capacity = Callable[[str], int]
"""Visits one unit receives per week, by the unit's name."""
FREE_WEEKS = 3
"""How many free weeks a refusal proposes."""
LOOKAHEAD = 104


class WeekFull(RuleViolation):
    """Raised when the unit's places in the chosen week are taken; names the next free weeks."""

    def __init__(self, violations: Sequence[Violation], free_weeks: list[str]) -> None:
        super().__init__(violations)
        self.free_weeks = free_weeks


@dataclass(frozen=True)
class Given:
    """A command given to one visit: by whom (`meta`), expecting which version (None: any)."""

    visit_id: UUID
    meta: CommandMeta
    expected: int | None = None


@dataclass(frozen=True)
class Proposal:
    """What a commune proposes: who comes (no cap on their number: "không giới hạn về số
    lượng"), to learn what, at which host, in which ISO weeks, dated `proposed_on`."""

    province_code: int
    ward_code: int
    participants: tuple[Participant, ...]
    topics: tuple[str, ...]
    host_unit: str
    preferred_weeks: tuple[str, ...]
    proposed_on: date | None = None


@dataclass(frozen=True)
class Slot:
    """When and where the department receives a visit: from `start` to `end` (one ISO week,
    whose places in `unit` it takes), decided on `effective_on` (default today)."""

    start: date
    end: date
    unit: str
    effective_on: date | None = None


class StudyVisits:
    """The study-visit commands on the registry's event store."""

    def __init__(self, app: Any, capacity: Capacity) -> None:
        self.app = app
        self.capacity = capacity
        self.commands: Commands[StudyVisit] = Commands(
            app, StudyVisit, lambda i: NotFound("study visit", str(i))
        )

    def get(self, visit_id: UUID, version: int | None = None) -> StudyVisit:
        return self.commands.get(visit_id, version)

    def propose(self, meta: CommandMeta, p: Proposal) -> Done[StudyVisit]:
        on = self._dated("proposed_on", p.proposed_on)
        _check_proposal(p)
        visit_id = study_visit_id(meta.command_id)

        def make() -> StudyVisit:
            keyring = self.app.keyring
            keyring.link(visit_id, keyring.pseudonym(participants_subject(visit_id)))
            return StudyVisit(
                meta, on, p.participants, p.province_code, p.ward_code, p.topics,
                p.host_unit.strip(), p.preferred_weeks, STUDY_VISIT.initial,
            )  # fmt: skip

        return self.commands.create(meta, visit_id, make)

    def schedule(self, to: Given, slot: Slot) -> Done[StudyVisit]:
        return self._place(to, slot, "schedule")

    def reschedule(self, to: Given, slot: Slot) -> Done[StudyVisit]:
        return self._place(to, slot, "reschedule")

    def attend(self, to: Given, attended_on: date, present: int | None) -> Done[StudyVisit]:
        on = self._dated("attended_on", attended_on)
        return self._run(to, lambda v: v.attend(to.meta, on, present))

    def complete(self, to: Given, feedback: str, on: date | None = None) -> Done[StudyVisit]:
        day = self._dated("completed_on", on)
        return self._run(to, lambda v: v.complete(to.meta, day, feedback))

    def cancel(self, to: Given, reason: str, on: date | None = None) -> Done[StudyVisit]:
        day = self._dated("effective_on", on)

        def act(v: StudyVisit) -> list[UnitWeek]:
            held = self._held(v)
            v.cancel(to.meta, day, reason)
            if held is not None:
                held.release(to.meta, day, v.id)
            return [held] if held is not None else []

        return self._run(to, act)

    def erase_participants(self, to: Given, reason: str, basis: str) -> Done[StudyVisit]:
        """Records the erasure, then destroys the key the participants are sealed under: the
        visit answers with their names and positions read as erased."""
        day = self._dated("effective_on", None)
        done = self._run(to, lambda v: v.erase_participants(to.meta, day, reason, basis))
        keyring = self.app.keyring
        keyring.destroy(keyring.pseudonym(participants_subject(to.visit_id)))
        return replace(done, record=self.get(to.visit_id))

    def _run(self, to: Given, act: Act[StudyVisit]) -> Done[StudyVisit]:
        return self.commands.run(to.visit_id, to.meta, to.expected, act)

    def free_weeks(
        self, province_code: int, unit: str, after: str, count: int = FREE_WEEKS
    ) -> list[str]:
        """The first `count` weeks after `after` in which the unit still has room."""
        room = self.capacity(unit)
        found = []
        for week in weeks_after(after, LOOKAHEAD):
            taken = self._unit_week(province_code, unit, week)
            if taken is None or len(taken.visits) < room:
                found.append(week)
            if len(found) == count:
                break
        return found

    def _place(self, to: Given, slot: Slot, action: str) -> Done[StudyVisit]:
        day = self._dated("effective_on", slot.effective_on)

        def act(v: StudyVisit) -> list[UnitWeek]:
            week = week_of(slot.start)
            target = self._unit_week(v.province_code, slot.unit, week) or UnitWeek(
                v.province_code, slot.unit.strip(), week
            )
            room = target.has_room(self.capacity(slot.unit), v.id)
            held = self._held(v)
            try:
                getattr(v, action)(to.meta, day, slot.start, slot.end, slot.unit.strip(), room)
            except RuleViolation as e:
                if any(x.rule == "unit_week_full" for x in e.violations):
                    free = self.free_weeks(v.province_code, slot.unit, week)
                    raise WeekFull(e.violations, free) from None
                raise
            if held is not None and held.id != target.id:
                held.release(to.meta, day, v.id)
            target.take(to.meta, day, v.id)
            return [w for w in (held, target) if w is not None and w.pending_events]

        return self._run(to, act)

    def _held(self, v: StudyVisit) -> UnitWeek | None:
        if v.state != "scheduled" or v.unit is None or v.week is None:
            return None
        return self._unit_week(v.province_code, v.unit, v.week)

    def _unit_week(self, province_code: int, unit: str, week: str) -> UnitWeek | None:
        week_id = unit_week_id(province_code, unit, week)
        if week_id not in self.app.repository:
            return None
        found: UnitWeek = self.app.repository.get(week_id)
        return found

    def _dated(self, field: str, on: date | None) -> date:
        today: date = self.app.today()
        future = rules.not_in_future(field, on, today)
        if future:
            raise RuleViolation(future)
        return on or today


def participants_subject(visit_id: UUID) -> str:
    """Whose key a visit's participants are sealed under: the visit's own (see README)."""
    return f"study-visit:{visit_id}"


def _check_proposal(p: Proposal) -> None:
    found = []
    if not p.participants:
        found.append(Violation("participants_required", "participants", "name who comes"))
    if not p.host_unit.strip():
        found.append(Violation("host_unit_required", "host_unit", "name the host unit"))
    for i, week in enumerate(p.preferred_weeks):
        if not is_week(week):
            message = f"{week!r} is not an ISO week such as 2026-W03"
            found.append(Violation("iso_week", f"preferred_weeks[{i}]", message))
    if found:
        raise RuleViolation(found)
