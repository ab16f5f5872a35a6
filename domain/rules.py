"""Business rules: pure functions of a secondment's facts and a command's data.

Each guard named in the lifecycle table returns the violations it finds (empty when it passes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from domain.values import Category, EscalationLevel, Kind, Official, Term, Violation

if TYPE_CHECKING:
    from domain.secondment import Secondment

ELIGIBILITY_YEARS = 3
TWO_TIER_FROM = date(2025, 7, 1)
"""The day the two-tier units (34 provinces, 3,321 communes) a request names came into being."""
ELIGIBILITY_SOURCE = "the province's secondment criteria (Điện Biên plan, Decision 2446/QĐ-UBND)"
TERM_LAW = "Decree 138/2020 Art. 27, Decree 115/2020 Art. 27, Luật Viên chức 2010 Art. 36"
MATERNITY_LAW = "Luật Viên chức 2010 Art. 36(7)"
CONSULTATION_LAW = "Decree 115/2020 Art. 27"
RETURN_LAW = "Decree 170/2025, Decree 115/2020 Art. 27"
MATERNITY_KINDS = (Kind.SECONDMENT, Kind.REINFORCEMENT)
Guard = Callable[["Secondment", Mapping[str, Any]], list[Violation]]


def not_in_future(field: str, on: date | None, today: date) -> list[Violation]:
    """A business date must not be later than today in Vietnam (back-entry is fine)."""
    if on is None or on <= today:
        return []
    message = f"{field} {on.isoformat()} is after today ({today.isoformat()}) in Vietnam"
    return [Violation("effective_date_in_future", field, message)]


def in_business_order(s: Secondment, field: str, on: date) -> list[Violation]:
    """A fact on the state path may not be dated before the secondment's last change of state."""
    last = s.last_changed_on
    if last is None or on >= last:
        return []
    message = f"{field} {on.isoformat()} is before the last change of state ({last.isoformat()})"
    return [Violation("effective_date_out_of_order", field, message)]


def path_in_order(s: Secondment) -> list[Violation]:
    """The business dates of the facts on the state path never go back in time."""
    found: list[Violation] = []
    latest: tuple[str, date] | None = None
    for name, day in s.path_dates:
        if day is None:
            continue
        if latest is not None and day < latest[1]:
            message = f"{name} {day.isoformat()} is before {latest[0]} {latest[1].isoformat()}"
            found.append(Violation("effective_date_out_of_order", name, message))
        latest = max(latest or (name, day), (name, day), key=lambda x: x[1])
    return found


def eligibility_failures(official: Official, decision_year: int) -> list[str]:
    """Why an official is not eligible in a decision year (empty when eligible)."""
    ratings = {a.year: a.rating for a in official.appraisals}
    failures = [
        f"rated below 'good' (or not rated) in {year}"
        for year in range(decision_year - ELIGIBILITY_YEARS, decision_year)
        if year not in ratings or not ratings[year].is_good_or_better
    ]
    if not (official.is_leader or official.in_succession_plan):
        failures.append("neither a leader nor in a succession plan")
    return failures


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - unreachable


def planned_term_violations(planned: Term, max_term_months: int) -> list[Violation]:
    """A requested term that no approval could grant: before the units existed, or too long."""
    found = []
    if planned.start < TWO_TIER_FROM:
        message = f"the planned start is before the two-tier units existed ({TWO_TIER_FROM})"
        found.append(Violation("term_after_two_tier_units", "planned_start", message))
    if planned.end >= add_months(planned.start, max_term_months):
        message = f"the planned term exceeds {max_term_months} months"
        found.append(Violation("term_limit", "planned_end", message))
    return found


def future_dates(today: date, dates: Mapping[str, date]) -> list[Violation]:
    """Business dates of facts said to have happened, that are later than today in Vietnam."""
    return [
        Violation("effective_date_in_future", field, f"{day} is later than today ({today})")
        for field, day in dates.items()
        if day > today
    ]


def _eligible_or_overridden(s: Secondment, data: Mapping[str, Any]) -> list[Violation]:
    failures = eligibility_failures(s.official, data["decision"].date.year)
    override = (data.get("override_reason") or "").strip()
    if not failures or override:
        return []
    reasons = "; ".join(failures)
    message = f"not eligible under {ELIGIBILITY_SOURCE} ({reasons}): give override_reason"
    return [Violation("eligibility", "override_reason", message)]


def maternity_barred(official: Official, kind: Kind, civil_servants_too: bool) -> bool:
    """Whether the law bars seconding this official (pregnant or raising a child under 36
    months): public employees always, civil servants when the province applies it to them."""
    covered = official.category is Category.PUBLIC_EMPLOYEE or civil_servants_too
    return official.maternity_protected and kind in MATERNITY_KINDS and covered


def _maternity_protection(s: Secondment, data: Mapping[str, Any]) -> list[Violation]:
    if not maternity_barred(s.official, s.kind, data["maternity_civil_servants"]):
        return []
    message = (
        f"an official who is pregnant or raising a child under 36 months is not seconded "
        f"({MATERNITY_LAW}); no override"
    )
    return [Violation("maternity_protection", "official.maternity_protected", message)]


def _consulted_before_decision(s: Secondment, data: Mapping[str, Any]) -> list[Violation]:
    consulted_on = data.get("consulted_on")
    if consulted_on is None or consulted_on <= data["decision"].date:
        return []
    message = f"the consultation ({CONSULTATION_LAW}) comes before the decision"
    return [Violation("consultation_before_decision", "consulted_on", message)]


def _not_yet_returned(s: Secondment, _data: Mapping[str, Any]) -> list[Violation]:
    if s.returned is None:
        return []
    message = f"the return was already recorded on {s.returned.returned_on.isoformat()}"
    return [Violation("return_once", "returned_on", message)]


def _return_after_end(s: Secondment, data: Mapping[str, Any]) -> list[Violation]:
    assert s.ending is not None
    if data["returned_on"] >= s.ending.ended_on:
        return []
    message = f"the return ({RETURN_LAW}) is recorded on or after the end"
    return [Violation("return_after_end", "returned_on", message)]


def _term_ordered(_s: Secondment, data: Mapping[str, Any]) -> list[Violation]:
    if data["start"] <= data["end"]:
        return []
    return [Violation("term_ordered", "end", "the term ends before it starts")]


def _term_within_limit(s: Secondment, data: Mapping[str, Any]) -> list[Violation]:
    start = s.term.start if s.term else data["start"]
    end = data.get("new_end") or data["end"]
    months = data["max_term_months"]
    if end < add_months(start, months):
        return []
    field = "new_end" if "new_end" in data else "end"
    message = f"the whole term, with extensions, exceeds {months} months ({TERM_LAW})"
    return [Violation("term_limit", field, message)]


def _arrival_in_term(s: Secondment, data: Mapping[str, Any]) -> list[Violation]:
    arrived_on: date = data["arrived_on"]
    assert s.term is not None and s.decision is not None
    if arrived_on < s.decision.date:
        return [
            Violation("arrival_after_decision", "arrived_on", "arrival is before the decision date")
        ]
    if not s.term.contains(arrived_on):
        return [Violation("arrival_in_term", "arrived_on", "arrival is outside the approved term")]
    return []


def _report_period_in_term(s: Secondment, data: Mapping[str, Any]) -> list[Violation]:
    start, end = data["period_start"], data["period_end"]
    assert s.term is not None
    if start > end:
        return [Violation("period_ordered", "period_end", "the period ends before it starts")]
    if s.term.contains(start) and s.term.contains(end):
        return []
    return [Violation("report_period_in_term", "period_start", "the period lies outside the term")]


def _report_period_unique(s: Secondment, data: Mapping[str, Any]) -> list[Violation]:
    period = (data["kind"], data["period_start"], data["period_end"])
    if all((r.kind, r.period_start, r.period_end) != period for r in s.reports):
        return []
    message = "a report of this kind for this period is already on the record"
    return [Violation("report_period_duplicate", "period_start", message)]


def _new_end_after_current(s: Secondment, data: Mapping[str, Any]) -> list[Violation]:
    assert s.term is not None
    if data["new_end"] > s.term.end:
        return []
    return [
        Violation("new_end_after_current", "new_end", "the new end is not after the current end")
    ]


def _not_before_arrival(field: str) -> Guard:
    def guard(s: Secondment, data: Mapping[str, Any]) -> list[Violation]:
        if s.arrived_on is None or data[field] >= s.arrived_on:
            return []
        return [Violation(f"{field}_after_arrival", field, f"{field} is before the arrival date")]

    return guard


def _difficulty_escalates_up(s: Secondment, data: Mapping[str, Any]) -> list[Violation]:
    difficulty = s.difficulty(data["number"])
    levels = list(EscalationLevel)
    if difficulty.resolved:
        return [Violation("difficulty_unresolved", "number", "the difficulty is already resolved")]
    current = difficulty.escalated_to
    if current is not None and levels.index(data["to"]) <= levels.index(current):
        return [Violation("escalation_goes_up", "to", f"already escalated to {current.value}")]
    return []


def _difficulty_unresolved(s: Secondment, data: Mapping[str, Any]) -> list[Violation]:
    if s.difficulty(data["number"]).resolved:
        return [Violation("difficulty_unresolved", "number", "the difficulty is already resolved")]
    return []


GUARDS: dict[str, Guard] = {
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
