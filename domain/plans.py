"""Plan commands: the plan aggregate driven by the shared command plumbing (`Commands`), its
nominations kept apart for personal data, and the decision that creates the assigned
secondments, requested and approved, in the same save as the plan's own event."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from domain import rules
from domain.application import SecondmentRegistry
from domain.batches import Approval, NewRequest, row_meta
from domain.commanding import Commands, Done
from domain.errors import NotFound, RuleViolation
from domain.nomination import Nomination
from domain.plan import Plan, target_violations
from domain.plan_values import Candidate, Placement, PlanLink, Target
from domain.secondment import secondment_id_for
from domain.values import CommandMeta, Decision, Field, Host, Kind, Official, Term, Violation

Day = date | None
Step = Callable[[Plan, CommandMeta, date], None]
"""A plan's command that takes nothing but the command and its business date."""


class PlanNotFound(NotFound):
    """Raised when no plan has the given id."""

    def __init__(self, key: object) -> None:
        super().__init__("plan", key)


@dataclass(frozen=True)
class NewPlan:
    """What drafting a plan takes."""

    title: str
    issuer: str
    province_code: int | None
    kind: Kind
    period: Term
    targets: tuple[Target, ...]


@dataclass(frozen=True)
class PlanDecision:
    """The decision that approves a plan's seats: `overrides` gives, per nomination, the reason
    to approve an official who is not eligible."""

    decision: Decision
    term: Term
    batch: str | None = None
    overrides: Mapping[UUID, str] | None = None


def _refuse(found: list[Violation]) -> None:
    if found:
        raise RuleViolation(found)


class Plans:
    """Commands and reads on plans inside the registry."""

    def __init__(self, registry: SecondmentRegistry) -> None:
        self.registry = registry
        self.commands: Commands[Plan] = Commands(registry, Plan, PlanNotFound)

    def get(self, plan_id: UUID, version: int | None = None) -> Plan:
        return self.commands.get(plan_id, version)

    def nomination(self, nomination_id: UUID) -> Nomination:
        try:
            found: Any = self.registry.repository.get(nomination_id)
        except AggregateNotFoundError:
            found = None
        if not isinstance(found, Nomination):
            raise NotFound("nomination", nomination_id)
        return found

    def draft(self, meta: CommandMeta, new: NewPlan) -> Done[Plan]:
        period = new.period
        found = target_violations(new.targets)
        if period.start > period.end:
            found.append(
                Violation("term_ordered", "period.end", "the period ends before it starts")
            )
        if not new.targets:
            found.append(Violation("targets_required", "targets", "name at least one"))
        _refuse(found)
        today = self.registry.today()
        return self.commands.create(
            meta,
            Plan.create_id(meta),
            lambda: Plan(
                meta,
                today,
                new.title.strip(),
                new.issuer.strip(),
                new.province_code,
                new.kind,
                period,
                new.targets,
            ),
        )

    def amend_targets(
        self, plan_id: UUID, meta: CommandMeta, expected: int | None, targets: tuple[Target, ...]
    ) -> Done[Plan]:
        _refuse(target_violations(targets))
        return self._run(plan_id, meta, expected, lambda p, on: p.amend_targets(meta, on, targets))

    def step(
        self, plan_id: UUID, meta: CommandMeta, expected: int | None, take: Step, day: Day = None
    ) -> Done[Plan]:
        """A step that carries no data of its own (`Plan.open_nominations`, `Plan.match`),
        dated `day`."""
        return self._run(plan_id, meta, expected, lambda p, on: take(p, meta, on), day)

    def nominate(
        self,
        plan_id: UUID,
        meta: CommandMeta,
        expected: int | None,
        official: Official,
        home_agency: str,
        fields: Sequence[Field],
    ) -> Done[Plan]:
        """Proposes an official; eligibility is evaluated for the plan's first year and shown
        with the nominee, not refused."""
        _refuse(_agency_violations(home_agency, fields))
        unique = tuple(dict.fromkeys(fields))

        def act(p: Plan, on: Any) -> list[Aggregate]:
            nomination = Nomination(meta, on, p.id, official, home_agency.strip(), unique)
            failures = tuple(rules.eligibility_failures(official, p.period.start.year))
            pseudonym = self.registry.keyring.pseudonym(official.personnel_id)
            candidate = Candidate(
                nomination.id,
                pseudonym,
                home_agency.strip(),
                unique,
                not failures,
                failures,
                official.is_leader,
            )
            p.nominate(meta, on, candidate)
            return [nomination]

        return self._run(plan_id, meta, expected, act)

    def assign(
        self,
        plan_id: UUID,
        meta: CommandMeta,
        expected: int | None,
        assignments: Sequence[tuple[str, int, int]],
    ) -> Done[Plan]:
        return self._run(plan_id, meta, expected, lambda p, on: p.assign(meta, on, assignments))

    def cancel(
        self, plan_id: UUID, meta: CommandMeta, expected: int | None, reason: str
    ) -> Done[Plan]:
        return self._run(plan_id, meta, expected, lambda p, on: p.cancel(meta, on, reason))

    def decide(
        self, plan_id: UUID, meta: CommandMeta, expected: int | None, given: PlanDecision
    ) -> Done[Plan]:
        """Creates the secondment of every seat given, requested and approved under the
        decision, and records the plan's decision, in one save: all or none, with every rule
        of an approval (each failure named `assignments[i]…`)."""
        decision, term = given.decision, given.term
        _refuse(rules.not_in_future("decision.date", decision.date, self.registry.today()))

        def act(p: Plan) -> list[Aggregate]:
            ids = tuple(
                secondment_id_for(row_meta(meta, i).command_id) for i in range(len(p.placements))
            )
            p.decide(meta, decision, term, given.batch, ids)
            requests = [self._request(p, seat, given) for seat in p.placements]
            approval = Approval(decision, term)
            return self.registry.prepare_many(meta, requests, approval, "assignments")

        return self.commands.run(plan_id, meta, expected, act)

    def _request(self, p: Plan, seat: Placement, given: PlanDecision) -> NewRequest:
        nomination = self.nomination(seat.nomination_id)
        target = p.targets[seat.target]
        return NewRequest(
            official=nomination.official,
            home_agency=nomination.home_agency,
            host=Host(target.province_code, target.ward_code),
            kind=p.kind,
            fields=seat.fields or target.fields,
            planned=given.term,
            reason=p.title,
            override_reason=(given.overrides or {}).get(seat.nomination_id),
            requested_on=given.decision.date,
            plan=PlanLink(p.id, given.batch),
        )

    def _run(
        self,
        plan_id: UUID,
        meta: CommandMeta,
        expected: int | None,
        act: Callable[[Plan, Any], Iterable[Aggregate] | None],
        day: date | None = None,
    ) -> Done[Plan]:
        """A command dated `day` (default today in Vietnam; not later)."""
        today = self.registry.today()
        _refuse(rules.not_in_future("effective_on", day, today))
        return self.commands.run(plan_id, meta, expected, lambda p: act(p, day or today))


def _agency_violations(home_agency: str, fields: Sequence[Field]) -> list[Violation]:
    found = []
    if not home_agency.strip():
        found.append(Violation("home_agency_required", "home_agency", "must not be blank"))
    if not fields:
        found.append(Violation("fields_required", "fields", "name at least one field"))
    return found
