"""The Secondment aggregate: one official's posting to one host for one term."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain import corrections, lifecycle, rules
from domain.commanding import Commanded, Guard
from domain.errors import NotFound, RuleViolation
from domain.evolution import versioned
from domain.plan_values import PlanLink
from domain.records import Difficulty, Ending, Extension, FromVisit, Handover, Report, Return
from domain.secondment_guards import GUARDS
from domain.units import host_violations
from domain.values import (
    CommandMeta,
    Decision,
    EscalationLevel,
    Field,
    Host,
    HostEvaluation,
    Initiator,
    Kind,
    Official,
    Outcome,
    Term,
    Violation,
)


def _request_undated(state: dict[str, Any]) -> None:
    """Version 1 stored the day the request was typed in as its date; that is not when the
    request was made, so the request reads as undated."""
    state["effective_on"] = None


def _snapshot_request_undated(state: dict[str, Any]) -> None:
    state["requested_on"] = None


SECONDMENT_EVENTS = {
    "Requested": 2,
    "Approved": 1,
    "Rejected": 1,
    "Withdrawn": 1,
    "Deployed": 1,
    "ReportSubmitted": 1,
    "DifficultyRaised": 1,
    "DifficultyEscalated": 1,
    "DifficultyResolved": 1,
    "Extended": 1,
    "HandoverStarted": 1,
    "Ended": 1,
    "Recalled": 1,
    "ReportOverdue": 1,
    "HandoverDue": 1,
    "TermExpired": 1,
    "Corrected": 1,
    "Returned": 1,
    "ReturnMissing": 1,
}


@versioned(
    snapshot=2,
    events=SECONDMENT_EVENTS,
    upcasters={"Requested.v1_v2": _request_undated, "snapshot.v1_v2": _snapshot_request_undated},
)
class Secondment(Commanded):
    """One official's posting to one host for one term (biệt phái, tăng cường, phân công)."""

    LIFECYCLE = lifecycle.SECONDMENT
    GUARDS: ClassVar[Mapping[str, Guard]] = GUARDS

    @event("Requested")
    def __init__(
        self,
        meta: CommandMeta,
        to_state: str,
        effective_on: date | None,
        official: Official,
        home_agency: str,
        host: Host,
        kind: Kind,
        fields: tuple[Field, ...],
        planned: Term,
        reason: str,
        plan: PlanLink | None = None,
    ) -> None:
        self.state = to_state
        self.command_ids: dict[str, int] = {meta.command_id: self.version}
        self.requested_by = meta.actor
        self.requested_on = effective_on
        self.official = official
        self.home_agency = home_agency
        self.host = host
        self.kind = kind
        self.fields = tuple(fields)
        self.planned = planned
        self.reason = reason
        self.plan_link = plan
        self.decision: Decision | None = None
        self.term: Term | None = None
        self.eligibility_failures: tuple[str, ...] = ()
        self.override_reason: str | None = None
        self.closing_reason: str | None = None
        self.arrived_on: date | None = None
        self.reports: list[Report] = []
        self.difficulties: list[Difficulty] = []
        self.extensions: list[Extension] = []
        self.handover_record: Handover | None = None
        self.ending: Ending | None = None
        self.overdue_periods: list[Term] = []
        self.handover_due_for: date | None = None
        self.expired_for: date | None = None

    @staticmethod
    def create_id(meta: CommandMeta) -> UUID:
        return secondment_id_for(meta.command_id)

    @staticmethod
    def validate_request(
        host: Host,
        fields: tuple[Field, ...],
        planned: Term,
        home_agency: str,
        max_term_months: int = 36,
    ) -> None:
        """Raises RuleViolation for a request that can never be approved."""
        found = host_violations(host) + rules.planned_term_violations(planned, max_term_months)
        if not fields:
            found.append(Violation("fields_required", "fields", "name at least one field"))
        if planned.start > planned.end:
            found.append(Violation("term_ordered", "planned_end", "planned end is before start"))
        if not home_agency.strip():
            found.append(Violation("home_agency_required", "home_agency", "must not be blank"))
        if found:
            raise RuleViolation(found)

    # -- decisions -------------------------------------------------------------------------

    def difficulty(self, number: int) -> Difficulty:
        if 1 <= number <= len(self.difficulties):
            return self.difficulties[number - 1]
        raise NotFound("difficulty", number)

    @property
    def path_dates(self) -> list[tuple[str, date | None]]:
        """The business dates of the facts that changed the state, in path order, by the name
        of the datum that carries each (None: not recorded, or undated)."""
        return [
            ("requested_on", self.requested_on),
            ("decision.date", self.decision.date if self.decision else None),
            ("arrived_on", self.arrived_on),
            ("submitted_on", self.reports[0].submitted_on if self.reports else None),
            ("planned_on", self.handover_record.planned_on if self.handover_record else None),
            ("ended_on", self.ending.ended_on if self.ending else None),
        ]

    @property
    def last_changed_on(self) -> date | None:
        """The business date of the latest fact that changed the state (None: none is dated)."""
        return max((d for _, d in self.path_dates if d is not None), default=None)

    def business_date_violations(
        self, action: str, field: str, on: date, today: date
    ) -> list[Violation]:
        """What is wrong with an action's business date: in the future or, for a fact on the
        state path, out of order; IllegalTransition when the action is not legal now."""
        row = self.LIFECYCLE.transition_for(self.state, action)
        found = rules.not_in_future(field, on, today)
        if row.dest is not None:
            found += rules.in_business_order(self, field, on)
        return found

    def check_business_date(self, action: str, field: str, on: date, today: date) -> None:
        """Raises RuleViolation for the business_date_violations of an action."""
        if found := self.business_date_violations(action, field, on, today):
            raise RuleViolation(found)

    @property
    def occupies_official(self) -> bool:
        return self.state in lifecycle.OCCUPYING

    @property
    def consulted_on(self) -> date | None:
        """When the head of unit heard the official before the decision (None if not recorded;
        records and snapshots from before the field existed read None)."""
        found: date | None = self.__dict__.get("consultation")
        return found

    @property
    def plan(self) -> PlanLink | None:
        """The plan (and batch) whose decision created it; None for a request of its own, and
        for records and snapshots stored before plans existed."""
        found: PlanLink | None = self.__dict__.get("plan_link")
        return found

    @property
    def returned(self) -> Return | None:
        """The official's return to the home agency, once recorded."""
        found: Return | None = self.__dict__.get("return_record")
        return found

    @property
    def return_missing_since(self) -> date | None:
        """The due day of a return the deadline worker found missing."""
        found: date | None = self.__dict__.get("return_due_on")
        return found

    @property
    def current_end(self) -> date | None:
        return self.term.end if self.term else None

    # -- commands ----------------------------------------------------------------------------

    def approve(
        self,
        meta: CommandMeta,
        decision: Decision,
        term: Term,
        override_reason: str | None,
        max_term_months: int,
        consulted_on: date | None = None,
        maternity_civil_servants: bool = True,
    ) -> None:
        data = {
            "decision": decision,
            "start": term.start,
            "end": term.end,
            "override_reason": override_reason,
            "max_term_months": max_term_months,
            "consulted_on": consulted_on,
            "maternity_civil_servants": maternity_civil_servants,
        }
        to_state = self._decide("approve", data)
        failures = tuple(rules.eligibility_failures(self.official, decision.date.year))
        override = override_reason.strip() if failures and override_reason else None
        self._approved(
            meta,
            self.state,
            to_state,
            decision.date,
            decision,
            term,
            failures,
            override,
            consulted_on,
        )

    @event("Approved")
    def _approved(
        self,
        meta: CommandMeta,
        from_state: str,
        to_state: str,
        effective_on: date,
        decision: Decision,
        term: Term,
        eligibility_failures: tuple[str, ...],
        override_reason: str | None,
        consulted_on: date | None = None,
    ) -> None:
        """Stored `Approved` events from before `consulted_on` existed read None."""
        self._moved(meta, to_state)
        self.decision = decision
        self.term = term
        self.eligibility_failures = tuple(eligibility_failures)
        self.override_reason = override_reason
        self.consultation = consulted_on

    def reject(self, meta: CommandMeta, reason: str, today: date) -> None:
        to_state = self._decide("reject", {})
        self._rejected(meta, self.state, to_state, today, reason)

    @event("Rejected")
    def _rejected(
        self, meta: CommandMeta, from_state: str, to_state: str, effective_on: date, reason: str
    ) -> None:
        self._moved(meta, to_state)
        self.closing_reason = reason

    def withdraw(self, meta: CommandMeta, reason: str, today: date) -> None:
        to_state = self._decide("withdraw", {})
        self._withdrawn(meta, self.state, to_state, today, reason)

    @event("Withdrawn")
    def _withdrawn(
        self, meta: CommandMeta, from_state: str, to_state: str, effective_on: date, reason: str
    ) -> None:
        self._moved(meta, to_state)
        self.closing_reason = reason

    def deploy(self, meta: CommandMeta, arrived_on: date) -> None:
        to_state = self._decide("deploy", {"arrived_on": arrived_on})
        self._deployed(meta, self.state, to_state, arrived_on)

    @event("Deployed")
    def _deployed(
        self, meta: CommandMeta, from_state: str, to_state: str, effective_on: date
    ) -> None:
        self._moved(meta, to_state)
        self.arrived_on = effective_on

    def submit_report(self, meta: CommandMeta, report: Report) -> None:
        data = {
            "kind": report.kind,
            "period_start": report.period_start,
            "period_end": report.period_end,
        }
        to_state = self._decide("report", data)
        self._report_submitted(meta, self.state, to_state, report.submitted_on, report)

    @event("ReportSubmitted")
    def _report_submitted(
        self, meta: CommandMeta, from_state: str, to_state: str, effective_on: date, report: Report
    ) -> None:
        self._moved(meta, to_state)
        self.reports.append(report)

    def raise_difficulty(
        self,
        meta: CommandMeta,
        title: str,
        detail: str,
        field: Field,
        today: date,
        came_from: FromVisit | None = None,
    ) -> int:
        self._decide("raise_difficulty", {})
        number = len(self.difficulties) + 1
        difficulty = Difficulty(
            number, title, detail, field, meta.actor, today, came_from=came_from
        )
        self._difficulty_raised(meta, self.state, self.state, today, difficulty)
        return number

    @event("DifficultyRaised")
    def _difficulty_raised(
        self,
        meta: CommandMeta,
        from_state: str,
        to_state: str,
        effective_on: date,
        difficulty: Difficulty,
    ) -> None:
        self._moved(meta, to_state)
        self.difficulties.append(difficulty)

    def escalate_difficulty(
        self, meta: CommandMeta, number: int, to: EscalationLevel, note: str, today: date
    ) -> None:
        self.LIFECYCLE.transition_for(self.state, "escalate_difficulty")
        self.difficulty(number)
        self._decide("escalate_difficulty", {"number": number, "to": to})
        self._difficulty_escalated(meta, self.state, self.state, today, number, to, note)

    @event("DifficultyEscalated")
    def _difficulty_escalated(
        self,
        meta: CommandMeta,
        from_state: str,
        to_state: str,
        effective_on: date,
        number: int,
        to: EscalationLevel,
        note: str,
    ) -> None:
        self._moved(meta, to_state)
        self.difficulties[number - 1] = self.difficulties[number - 1].escalated(to, note)

    def resolve_difficulty(
        self, meta: CommandMeta, number: int, resolution: str, today: date
    ) -> None:
        self.LIFECYCLE.transition_for(self.state, "resolve_difficulty")
        self.difficulty(number)
        self._decide("resolve_difficulty", {"number": number})
        self._difficulty_resolved(meta, self.state, self.state, today, number, resolution)

    @event("DifficultyResolved")
    def _difficulty_resolved(
        self,
        meta: CommandMeta,
        from_state: str,
        to_state: str,
        effective_on: date,
        number: int,
        resolution: str,
    ) -> None:
        self._moved(meta, to_state)
        self.difficulties[number - 1] = self.difficulties[number - 1].settled(
            resolution, effective_on
        )

    def extend(
        self, meta: CommandMeta, new_end: date, decision: Decision, max_term_months: int
    ) -> None:
        data = {"new_end": new_end, "max_term_months": max_term_months}
        self._decide("extend", data)
        assert self.term is not None
        extension = Extension(decision, self.term.end, new_end)
        self._extended(meta, self.state, self.state, decision.date, extension)

    @event("Extended")
    def _extended(
        self,
        meta: CommandMeta,
        from_state: str,
        to_state: str,
        effective_on: date,
        extension: Extension,
    ) -> None:
        self._moved(meta, to_state)
        assert self.term is not None
        self.extensions.append(extension)
        self.term = Term(self.term.start, extension.new_end)

    def start_handover(self, meta: CommandMeta, handover: Handover) -> None:
        to_state = self._decide("handover", {"planned_on": handover.planned_on})
        self._handover_started(meta, self.state, to_state, handover.planned_on, handover)

    @event("HandoverStarted")
    def _handover_started(
        self,
        meta: CommandMeta,
        from_state: str,
        to_state: str,
        effective_on: date,
        handover: Handover,
    ) -> None:
        self._moved(meta, to_state)
        self.handover_record = handover

    def end(self, meta: CommandMeta, ended_on: date, evaluation: HostEvaluation) -> None:
        to_state = self._decide("end", {"ended_on": ended_on})
        ending = Ending(Outcome.COMPLETED, ended_on, host_evaluation=evaluation)
        self._ended(meta, self.state, to_state, ended_on, ending)

    def recall(self, meta: CommandMeta, ended_on: date, reason: str, by: Initiator) -> None:
        to_state = self._decide("recall", {"ended_on": ended_on})
        ending = Ending(Outcome.RECALLED, ended_on, reason=reason, initiated_by=by)
        self._recalled(meta, self.state, to_state, ended_on, ending)

    @event("Ended")
    def _ended(
        self, meta: CommandMeta, from_state: str, to_state: str, effective_on: date, ending: Ending
    ) -> None:
        self._moved(meta, to_state)
        self.ending = ending

    @event("Recalled")
    def _recalled(
        self, meta: CommandMeta, from_state: str, to_state: str, effective_on: date, ending: Ending
    ) -> None:
        self._moved(meta, to_state)
        self.ending = ending

    def correct(
        self,
        meta: CommandMeta,
        version: int,
        fact: str,
        changes: Mapping[str, Any],
        reason: str,
        index: int | None,
        today: date,
    ) -> None:
        """Supersedes data of the fact recorded at `version` (already checked by its rules)."""
        changed = dict(changes)
        self._corrected(meta, self.state, self.state, today, version, fact, changed, reason, index)

    @event("Corrected")
    def _corrected(
        self,
        meta: CommandMeta,
        from_state: str,
        to_state: str,
        effective_on: date,
        corrects_version: int,
        fact: str,
        changes: dict[str, Any],
        reason: str,
        index: int | None,
    ) -> None:
        self._remember(meta)
        corrections.apply_to(self, fact, changes, index)

    def record_return(self, meta: CommandMeta, returned: Return) -> None:
        self._decide("return", {"returned_on": returned.returned_on})
        self._returned(meta, self.state, self.state, returned.returned_on, returned)

    @event("Returned")
    def _returned(
        self, meta: CommandMeta, from_state: str, to_state: str, effective_on: date, record: Return
    ) -> None:
        self._moved(meta, to_state)
        self.return_record = record

    def flag_return_missing(self, meta: CommandMeta, due_on: date) -> None:
        self._decide("flag_return_missing", {})
        self._return_missing(meta, self.state, self.state, due_on)

    @event("ReturnMissing")
    def _return_missing(
        self, meta: CommandMeta, from_state: str, to_state: str, effective_on: date
    ) -> None:
        self._moved(meta, to_state)
        self.return_due_on = effective_on

    def flag_report_overdue(self, meta: CommandMeta, period: Term, due_on: date) -> None:
        self._decide("flag_report_overdue", {})
        self._report_overdue(meta, self.state, self.state, due_on, period)

    @event("ReportOverdue")
    def _report_overdue(
        self, meta: CommandMeta, from_state: str, to_state: str, effective_on: date, period: Term
    ) -> None:
        self._moved(meta, to_state)
        self.overdue_periods.append(period)

    def flag_handover_due(self, meta: CommandMeta, due_from: date) -> None:
        self._decide("flag_handover_due", {})
        assert self.term is not None
        self._handover_due(meta, self.state, self.state, due_from, self.term.end)

    @event("HandoverDue")
    def _handover_due(
        self, meta: CommandMeta, from_state: str, to_state: str, effective_on: date, end: date
    ) -> None:
        self._moved(meta, to_state)
        self.handover_due_for = end

    def flag_term_expired(self, meta: CommandMeta) -> None:
        self._decide("flag_term_expired", {})
        assert self.term is not None
        end = self.term.end
        self._term_expired(meta, self.state, self.state, end + timedelta(days=1), end)

    @event("TermExpired")
    def _term_expired(
        self, meta: CommandMeta, from_state: str, to_state: str, effective_on: date, end: date
    ) -> None:
        self._moved(meta, to_state)
        self.expired_for = end

    def _moved(self, meta: CommandMeta, to_state: str) -> None:
        self.state = to_state
        self._remember(meta)


def secondment_id_for(command_id: str) -> UUID:
    """The id a request with this command id creates, so that a repeated request creates nothing."""
    return uuid5(NAMESPACE_URL, f"secondment-registry:request:{command_id}")
