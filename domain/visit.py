"""A study visit: officials of a commune come to a unit of the province's Department of Home
Affairs to learn (Đà Nẵng, 2025: no cap on their number; when many ask for the same time, the
department moves some to another week). Its lifecycle is `domain.visit_lifecycle.STUDY_VISIT`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.commanding import Commanded, Guard
from domain.errors import RuleViolation
from domain.evolution import versioned
from domain.personal import ERASED
from domain.values import CommandMeta, Violation
from domain.visit_lifecycle import SCHEDULING_GUARDS, STUDY_VISIT
from domain.visit_values import Participant, week_of

ASKED = ("start", "end", "unit")


def _ordered(visit: Any, data: Mapping[str, Any]) -> list[Violation]:
    if data["end"] >= data["start"]:
        return []
    return [Violation("visit_dates_ordered", "end", "the visit ends before it starts")]


def _one_week(visit: Any, data: Mapping[str, Any]) -> list[Violation]:
    if week_of(data["start"]) == week_of(data["end"]):
        return []
    message = "a visit lies within one ISO week (Monday to Sunday)"
    return [Violation("visit_in_one_week", "end", message)]


def _week_free(visit: Any, data: Mapping[str, Any]) -> list[Violation]:
    if data["room"]:
        return []
    message = f"the unit's places in {week_of(data['start'])} are taken"
    return [Violation("unit_week_full", "start", message)]


def _attended_in_visit(visit: Any, data: Mapping[str, Any]) -> list[Violation]:
    found = []
    if visit.start is not None and data["attended_on"] < visit.start:
        message = f"attended_on is before the visit starts ({visit.start.isoformat()})"
        found.append(Violation("attended_after_start", "attended_on", message))
    if data["present"] > len(visit.participants):
        message = f"more present than the {len(visit.participants)} participants proposed"
        found.append(Violation("present_within_participants", "present", message))
    return found


def study_visit_id(command_id: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"secondment-registry:study-visit:{command_id}")


EVENTS: tuple[str, ...] = ("Proposed", "Scheduled", "Rescheduled", "Attended", "Completed")
EVENTS += ("Cancelled", "ParticipantsErased")
"""Every event of a study visit; each at class version 1."""


@versioned(snapshot=1, events=dict.fromkeys(EVENTS, 1))
class StudyVisit(Commanded):
    """Officials of one commune visiting a unit of the department to learn."""

    LIFECYCLE = STUDY_VISIT
    GUARDS: ClassVar[Mapping[str, Guard]] = dict(
        zip(
            (*SCHEDULING_GUARDS, "attended_in_visit"),
            (_ordered, _one_week, _week_free, _attended_in_visit),
            strict=True,
        )
    )

    @event("Proposed")
    def __init__(
        self,
        meta: CommandMeta,
        effective_on: date,
        participants: tuple[Participant, ...],
        province_code: int,
        ward_code: int,
        topics: tuple[str, ...],
        host_unit: str,
        preferred_weeks: tuple[str, ...],
        to_state: str,
    ) -> None:
        self.state = to_state
        self.command_ids = {meta.command_id: self.version}
        self.proposed_on = effective_on
        self.province_code = province_code
        self.ward_code = ward_code
        self.participants = tuple(participants)
        self.topics = tuple(topics)
        self.host_unit = host_unit
        self.preferred_weeks = tuple(preferred_weeks)
        self.unit: str | None = None
        self.start: date | None = None
        self.end: date | None = None
        self.reschedules = 0
        self.attended_on: date | None = None
        self.present: int | None = None
        self.feedback: str | None = None
        self.reason: str | None = None

    @property
    def week(self) -> str | None:
        return week_of(self.start) if self.start else None

    @staticmethod
    def create_id(meta: CommandMeta) -> UUID:
        return study_visit_id(meta.command_id)

    def schedule(
        self, meta: CommandMeta, on: date, start: date, end: date, unit: str, room: bool
    ) -> None:
        asked = {"start": start, "end": end, "unit": unit, "room": room}
        self._scheduled(meta, on, start, end, unit, self.state, self._decide("schedule", asked))

    def reschedule(
        self, meta: CommandMeta, on: date, start: date, end: date, unit: str, room: bool
    ) -> None:
        asked = {"start": start, "end": end, "unit": unit, "room": room}
        to_state = self._decide("reschedule", asked)
        self._rescheduled(meta, on, start, end, unit, self.week or "", self.state, to_state)

    def attend(self, meta: CommandMeta, attended_on: date, present: int | None) -> None:
        count = len(self.participants) if present is None else present
        to_state = self._decide("attend", {"attended_on": attended_on, "present": count})
        self._attended(meta, attended_on, count, self.state, to_state)

    def complete(self, meta: CommandMeta, on: date, feedback: str) -> None:
        self._completed(meta, on, feedback, self.state, self._decide("complete"))

    def cancel(self, meta: CommandMeta, on: date, reason: str) -> None:
        self._cancelled(meta, on, reason, self.state, self._decide("cancel"))

    def erase_participants(self, meta: CommandMeta, on: date, reason: str, basis: str) -> None:
        """Records the erasure of the participants' names and positions (their key is then
        destroyed); the visit stays where it stands."""
        if all(p.full_name == ERASED for p in self.participants):
            message = "the participants' personal data was already erased"
            raise RuleViolation([Violation("participants_erased", "visit", message)])
        self._participants_erased(meta, on, reason, basis, self.state)

    @event("ParticipantsErased")
    def _participants_erased(
        self, meta: CommandMeta, effective_on: date, reason: str, legal_basis: str, to_state: str
    ) -> None:
        self._remember(meta)

    @event("Scheduled")
    def _scheduled(
        self,
        meta: CommandMeta,
        effective_on: date,
        start: date,
        end: date,
        unit: str,
        from_state: str,
        to_state: str,
    ) -> None:
        self._remember(meta)
        self.start, self.end, self.unit, self.state = start, end, unit, to_state

    @event("Rescheduled")
    def _rescheduled(
        self,
        meta: CommandMeta,
        effective_on: date,
        start: date,
        end: date,
        unit: str,
        previous_week: str,
        from_state: str,
        to_state: str,
    ) -> None:
        self._remember(meta)
        self.start, self.end, self.unit, self.state = start, end, unit, to_state
        self.reschedules += 1

    @event("Attended")
    def _attended(
        self, meta: CommandMeta, effective_on: date, present: int, from_state: str, to_state: str
    ) -> None:
        self._remember(meta)
        self.attended_on, self.present, self.state = effective_on, present, to_state

    @event("Completed")
    def _completed(
        self, meta: CommandMeta, effective_on: date, feedback: str, from_state: str, to_state: str
    ) -> None:
        self._remember(meta)
        self.feedback, self.state = feedback, to_state

    @event("Cancelled")
    def _cancelled(
        self, meta: CommandMeta, effective_on: date, reason: str, from_state: str, to_state: str
    ) -> None:
        self._remember(meta)
        self.reason, self.state = reason, to_state
