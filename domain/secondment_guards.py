"""The checks behind the guards the secondment's lifecycle names (`lifecycle.SECONDMENT`),
keyed by those names: each returns the violations it finds in a command's data against the
record (empty when it passes). They read the record through `Facts`, so this module does not
import the aggregate that uses them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Protocol

from domain.commanding import Guard
from domain.lifecycle import SECONDMENT
from domain.records import Difficulty, Ending, Report, Return
from domain.rules import (
    CONSULTATION_LAW,
    ELIGIBILITY_SOURCE,
    MATERNITY_LAW,
    RETURN_LAW,
    TERM_LAW,
    add_months,
    eligibility_failures,
    maternity_barred,
)
from domain.values import Decision, EscalationLevel, Kind, Official, Term, Violation


class Facts(Protocol):
    """What the guards read of a secondment."""

    @property
    def official(self) -> Official: ...
    @property
    def kind(self) -> Kind: ...
    @property
    def decision(self) -> Decision | None: ...
    @property
    def term(self) -> Term | None: ...
    @property
    def arrived_on(self) -> date | None: ...
    @property
    def reports(self) -> list[Report]: ...
    @property
    def ending(self) -> Ending | None: ...
    @property
    def returned(self) -> Return | None: ...
    def difficulty(self, number: int) -> Difficulty: ...


def _eligible_or_overridden(s: Facts, data: Mapping[str, Any]) -> list[Violation]:
    failures = eligibility_failures(s.official, data["decision"].date.year)
    override = (data.get("override_reason") or "").strip()
    if not failures or override:
        return []
    reasons = "; ".join(failures)
    message = f"not eligible under {ELIGIBILITY_SOURCE} ({reasons}): give override_reason"
    return [Violation("eligibility", "override_reason", message)]


def _maternity_protection(s: Facts, data: Mapping[str, Any]) -> list[Violation]:
    if not maternity_barred(s.official, s.kind, data["maternity_civil_servants"]):
        return []
    message = (
        f"an official who is pregnant or raising a child under 36 months is not seconded "
        f"({MATERNITY_LAW}); no override"
    )
    return [Violation("maternity_protection", "official.maternity_protected", message)]


def _consulted_before_decision(s: Facts, data: Mapping[str, Any]) -> list[Violation]:
    consulted_on = data.get("consulted_on")
    if consulted_on is None or consulted_on <= data["decision"].date:
        return []
    message = f"the consultation ({CONSULTATION_LAW}) comes before the decision"
    return [Violation("consultation_before_decision", "consulted_on", message)]


def _not_yet_returned(s: Facts, _data: Mapping[str, Any]) -> list[Violation]:
    if s.returned is None:
        return []
    message = f"the return was already recorded on {s.returned.returned_on.isoformat()}"
    return [Violation("return_once", "returned_on", message)]


def _return_after_end(s: Facts, data: Mapping[str, Any]) -> list[Violation]:
    assert s.ending is not None
    if data["returned_on"] >= s.ending.ended_on:
        return []
    message = f"the return ({RETURN_LAW}) is recorded on or after the end"
    return [Violation("return_after_end", "returned_on", message)]


def _term_ordered(_s: Facts, data: Mapping[str, Any]) -> list[Violation]:
    if data["start"] <= data["end"]:
        return []
    return [Violation("term_ordered", "end", "the term ends before it starts")]


def _term_within_limit(s: Facts, data: Mapping[str, Any]) -> list[Violation]:
    start = s.term.start if s.term else data["start"]
    end = data.get("new_end") or data["end"]
    months = data["max_term_months"]
    if end < add_months(start, months):
        return []
    field = "new_end" if "new_end" in data else "end"
    message = f"the whole term, with extensions, exceeds {months} months ({TERM_LAW})"
    return [Violation("term_limit", field, message)]


def _arrival_in_term(s: Facts, data: Mapping[str, Any]) -> list[Violation]:
    arrived_on: date = data["arrived_on"]
    assert s.term is not None and s.decision is not None
    if arrived_on < s.decision.date:
        return [
            Violation("arrival_after_decision", "arrived_on", "arrival is before the decision date")
        ]
    if not s.term.contains(arrived_on):
        return [Violation("arrival_in_term", "arrived_on", "arrival is outside the approved term")]
    return []


def _report_period_in_term(s: Facts, data: Mapping[str, Any]) -> list[Violation]:
    start, end = data["period_start"], data["period_end"]
    assert s.term is not None
    if start > end:
        return [Violation("period_ordered", "period_end", "the period ends before it starts")]
    if s.term.contains(start) and s.term.contains(end):
        return []
    return [Violation("report_period_in_term", "period_start", "the period lies outside the term")]


def _report_period_unique(s: Facts, data: Mapping[str, Any]) -> list[Violation]:
    period = (data["kind"], data["period_start"], data["period_end"])
    if all((r.kind, r.period_start, r.period_end) != period for r in s.reports):
        return []
    message = "a report of this kind for this period is already on the record"
    return [Violation("report_period_duplicate", "period_start", message)]


def _new_end_after_current(s: Facts, data: Mapping[str, Any]) -> list[Violation]:
    assert s.term is not None
    if data["new_end"] > s.term.end:
        return []
    return [
        Violation("new_end_after_current", "new_end", "the new end is not after the current end")
    ]


def _not_before_arrival(field: str) -> Guard:
    def guard(s: Facts, data: Mapping[str, Any]) -> list[Violation]:
        if s.arrived_on is None or data[field] >= s.arrived_on:
            return []
        return [Violation(f"{field}_after_arrival", field, f"{field} is before the arrival date")]

    return guard


def _difficulty_escalates_up(s: Facts, data: Mapping[str, Any]) -> list[Violation]:
    difficulty = s.difficulty(data["number"])
    levels = list(EscalationLevel)
    if difficulty.resolved:
        return [Violation("difficulty_unresolved", "number", "the difficulty is already resolved")]
    current = difficulty.escalated_to
    if current is not None and levels.index(data["to"]) <= levels.index(current):
        return [Violation("escalation_goes_up", "to", f"already escalated to {current.value}")]
    return []


def _difficulty_unresolved(s: Facts, data: Mapping[str, Any]) -> list[Violation]:
    if s.difficulty(data["number"]).resolved:
        return [Violation("difficulty_unresolved", "number", "the difficulty is already resolved")]
    return []


CHECKS: dict[str, Guard] = {
    "maternity_protection": _maternity_protection,
    "consulted_before_decision": _consulted_before_decision,
    "not_yet_returned": _not_yet_returned,
    "return_after_end": _return_after_end,
    "eligible_or_overridden": _eligible_or_overridden,
    "term_ordered": _term_ordered,
    "term_within_limit": _term_within_limit,
    "arrival_in_term": _arrival_in_term,
    "report_period_in_term": _report_period_in_term,
    "report_period_unique": _report_period_unique,
    "new_end_after_current": _new_end_after_current,
    "handover_after_arrival": _not_before_arrival("planned_on"),
    "end_after_arrival": _not_before_arrival("ended_on"),
    "difficulty_escalates_up": _difficulty_escalates_up,
    "difficulty_unresolved": _difficulty_unresolved,
}

GUARDS: Mapping[str, Guard] = {name: CHECKS[name] for name in SECONDMENT.guards}
"""The checks in the declaration's order; a guard declared without a check fails here."""
