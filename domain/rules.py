"""Business rules: pure functions of a secondment's facts and a command's data.

The guards the lifecycle table names are in `domain.secondment_guards`, built from these.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Protocol

from domain.values import Category, Kind, Official, Term, Violation

ELIGIBILITY_YEARS = 3
TWO_TIER_FROM = date(2025, 7, 1)
"""The day the two-tier units (34 provinces, 3,321 communes) a request names came into being."""
ELIGIBILITY_SOURCE = "the province's secondment criteria (Điện Biên plan, Decision 2446/QĐ-UBND)"
TERM_LAW = "Decree 138/2020 Art. 27, Decree 115/2020 Art. 27, Luật Viên chức 2010 Art. 36"
MATERNITY_LAW = "Luật Viên chức 2010 Art. 36(7)"
CONSULTATION_LAW = "Decree 115/2020 Art. 27"
RETURN_LAW = "Decree 170/2025, Decree 115/2020 Art. 27"
MATERNITY_KINDS = (Kind.SECONDMENT, Kind.REINFORCEMENT)


class StatePath(Protocol):
    """A record whose facts on the state path carry business dates."""

    @property
    def path_dates(self) -> list[tuple[str, date | None]]: ...

    @property
    def last_changed_on(self) -> date | None: ...


def not_in_future(field: str, on: date | None, today: date) -> list[Violation]:
    """A business date must not be later than today in Vietnam (back-entry is fine)."""
    if on is None or on <= today:
        return []
    message = f"{field} {on.isoformat()} is after today ({today.isoformat()}) in Vietnam"
    return [Violation("effective_date_in_future", field, message)]


def in_business_order(s: StatePath, field: str, on: date) -> list[Violation]:
    """A fact on the state path may not be dated before the secondment's last change of state."""
    last = s.last_changed_on
    if last is None or on >= last:
        return []
    message = f"{field} {on.isoformat()} is before the last change of state ({last.isoformat()})"
    return [Violation("effective_date_out_of_order", field, message)]


def path_in_order(s: StatePath) -> list[Violation]:
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


def maternity_barred(official: Official, kind: Kind, civil_servants_too: bool) -> bool:
    """Whether the law bars seconding this official (pregnant or raising a child under 36
    months): public employees always, civil servants when the province applies it to them."""
    covered = official.category is Category.PUBLIC_EMPLOYEE or civil_servants_too
    return official.maternity_protected and kind in MATERNITY_KINDS and covered
