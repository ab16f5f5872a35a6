"""The Plan aggregate: targets per commune and field, the nominees proposed for them, the seats
given (by the matching or by hand) and the one decision that turns them into secondments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain import matching
from domain.commanding import Commanded, Guard
from domain.evolution import versioned
from domain.plan_lifecycle import PLAN
from domain.plan_values import Candidate, Placement, Target
from domain.units import host_violations
from domain.values import CommandMeta, Decision, Field, Host, Kind, Term, Violation


def _targets_given(plan: Plan, data: Mapping[str, Any]) -> list[Violation]:
    targets = data.get("targets", plan.targets)
    return [] if targets else [Violation("targets_required", "targets", "name at least one")]


def _nominees_given(plan: Plan, data: Mapping[str, Any]) -> list[Violation]:
    message = "nobody is nominated yet"
    return [] if plan.candidates else [Violation("nominations_required", "nominations", message)]


def _assignments_valid(plan: Plan, data: Mapping[str, Any]) -> list[Violation]:
    return matching.check(plan.seats(), plan.nominees(), data["assignments"])


def _seats_given(plan: Plan, data: Mapping[str, Any]) -> list[Violation]:
    message = "no nominee holds a seat: match or assign first"
    return [] if plan.placements else [Violation("assignments_required", "assignments", message)]


def target_violations(targets: Sequence[Target]) -> list[Violation]:
    """Unknown communes, a commune outside its province, no fields or no seats."""
    found: list[Violation] = []
    for i, t in enumerate(targets):
        where = f"targets[{i}]"
        for v in host_violations(Host(t.province_code, t.ward_code)):
            found.append(Violation(v.rule, f"{where}.{v.field.removeprefix('host.')}", v.message))
        if not t.fields:
            found.append(Violation("fields_required", f"{where}.fields", "name at least one"))
        if t.seats < 1:
            found.append(Violation("seats_positive", f"{where}.seats", "at least one seat"))
    return found


@versioned(
    snapshot=1,
    events={
        "Drafted": 1,
        "TargetsAmended": 1,
        "NominationsOpened": 1,
        "Nominated": 1,
        "SeatsGiven": 1,
        "Decided": 1,
        "Cancelled": 1,
    },
)
class Plan(Commanded):
    """A plan of secondments (kế hoạch): seats per commune and field, filled by one decision."""

    LIFECYCLE = PLAN
    GUARDS: ClassVar[Mapping[str, Guard]] = {
        "targets_given": _targets_given,
        "nominees_given": _nominees_given,
        "assignments_valid": _assignments_valid,
        "seats_given": _seats_given,
    }

    @event("Drafted")
    def __init__(
        self,
        meta: CommandMeta,
        effective_on: date,
        title: str,
        issuer: str,
        province_code: int | None,
        kind: Kind,
        period: Term,
        targets: tuple[Target, ...],
    ) -> None:
        self.state = PLAN.initial
        self.command_ids: dict[str, int] = {meta.command_id: self.version}
        self.drafted_by = meta.actor
        self.drafted_on = effective_on
        self.title, self.issuer, self.province_code = title, issuer, province_code
        self.kind, self.period, self.targets = kind, period, tuple(targets)
        self.candidates: tuple[Candidate, ...] = ()
        self.placements: tuple[Placement, ...] = ()
        self.decision: Decision | None = None
        self.term: Term | None = None
        self.batch: str | None = None
        self.secondment_ids: tuple[UUID, ...] = ()
        self.cancel_reason: str | None = None

    @staticmethod
    def create_id(meta: CommandMeta) -> UUID:
        return uuid5(NAMESPACE_URL, f"secondment-registry:plan:{meta.command_id}")

    # -- what the matching sees ------------------------------------------------------------

    def seats(self) -> list[matching.Seat]:
        return [
            matching.Seat(i, n, t.ward_code, t.province_code, tuple(f.value for f in t.fields))
            for i, t in enumerate(self.targets)
            for n in range(t.seats)
        ]

    def nominees(self) -> list[matching.Nominee]:
        return [
            matching.Nominee(
                str(c.nomination_id),
                c.personnel_key,
                tuple(f.value for f in c.fields),
                c.eligible,
                c.leader,
            )
            for c in self.candidates
        ]

    def candidate(self, nomination_id: UUID) -> Candidate:
        return next(c for c in self.candidates if c.nomination_id == nomination_id)

    # -- commands ----------------------------------------------------------------------------

    def amend_targets(self, meta: CommandMeta, on: date, targets: tuple[Target, ...]) -> None:
        self._amended(meta, self._decide("amend_targets", {"targets": targets}), on, targets)

    def open_nominations(self, meta: CommandMeta, on: date) -> None:
        self._opened(meta, self._decide("open_nominations"), on)

    def nominate(self, meta: CommandMeta, on: date, candidate: Candidate) -> None:
        self._nominated(meta, self._decide("nominate"), on, candidate)

    def match(self, meta: CommandMeta, on: date) -> None:
        """Gives the seats as the matching proposes (see domain.matching)."""
        to_state = self._decide("match")
        found = matching.match(self.seats(), self.nominees())
        self._seated(meta, to_state, on, tuple(_placement(a) for a in found.assignments), False)

    def assign(
        self, meta: CommandMeta, on: date, assignments: Sequence[tuple[str, int, int]]
    ) -> None:
        to_state = self._decide("assign", {"assignments": assignments})
        seats = {(s.target, s.number): s for s in self.seats()}
        nominees = {n.nomination_id: n for n in self.nominees()}
        placements = tuple(
            Placement(UUID(i), t, n, _fields(matching.covered_fields(seats[t, n], nominees[i])))
            for i, t, n in assignments
        )
        self._seated(meta, to_state, on, placements, True)

    def decide(
        self,
        meta: CommandMeta,
        decision: Decision,
        term: Term,
        batch: str | None,
        secondment_ids: tuple[UUID, ...],
    ) -> None:
        to_state = self._decide("decide")
        self._decided(meta, to_state, decision.date, decision, term, batch, secondment_ids)

    def cancel(self, meta: CommandMeta, on: date, reason: str) -> None:
        self._cancelled(meta, self._decide("cancel"), on, reason)

    # -- events ------------------------------------------------------------------------------

    @event("TargetsAmended")
    def _amended(
        self, meta: CommandMeta, to_state: str, effective_on: date, targets: tuple[Target, ...]
    ) -> None:
        self._moved(meta, to_state)
        self.targets = tuple(targets)
        self.placements = ()

    @event("NominationsOpened")
    def _opened(self, meta: CommandMeta, to_state: str, effective_on: date) -> None:
        self._moved(meta, to_state)

    @event("Nominated")
    def _nominated(
        self, meta: CommandMeta, to_state: str, effective_on: date, candidate: Candidate
    ) -> None:
        self._moved(meta, to_state)
        self.candidates = (*self.candidates, candidate)

    @event("SeatsGiven")
    def _seated(
        self,
        meta: CommandMeta,
        to_state: str,
        effective_on: date,
        placements: tuple[Placement, ...],
        by_hand: bool,
    ) -> None:
        self._moved(meta, to_state)
        self.placements = tuple(placements)

    @event("Decided")
    def _decided(
        self,
        meta: CommandMeta,
        to_state: str,
        effective_on: date,
        decision: Decision,
        term: Term,
        batch: str | None,
        secondment_ids: tuple[UUID, ...],
    ) -> None:
        self._moved(meta, to_state)
        self.decision, self.term, self.batch = decision, term, batch
        self.secondment_ids = tuple(secondment_ids)

    @event("Cancelled")
    def _cancelled(self, meta: CommandMeta, to_state: str, effective_on: date, reason: str) -> None:
        self._moved(meta, to_state)
        self.cancel_reason = reason

    def _moved(self, meta: CommandMeta, to_state: str) -> None:
        self.state = to_state
        self._remember(meta)


def _fields(names: Sequence[str]) -> tuple[Field, ...]:
    return tuple(Field(n) for n in names)


def _placement(a: matching.Assignment) -> Placement:
    return Placement(UUID(a.nomination_id), a.target, a.number, _fields(a.fields))
