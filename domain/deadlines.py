"""When reports, handovers and term ends fall due: pure functions of a secondment and a day.

Days are business days in Vietnam (Asia/Ho_Chi_Minh); reporting periods run from the start of the
approved term in a fixed cadence (weekly by default), the last one cut at the end of the term.
Report grace and the right-of-return delay count Vietnam's working days (`domain.workdays`);
terms, handover notice and term expiry stay in calendar days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from domain import lifecycle
from domain.values import Term
from domain.workdays import nth_working_day_after

if TYPE_CHECKING:
    from domain.records import Report
    from domain.secondment import Secondment


@dataclass(frozen=True)
class Cadence:
    """How often reports are due, how late they may be (working days), how early handover is
    called for (calendar days), and how soon after the end the official must be taken back
    (working days)."""

    report_every_days: int = 7
    grace_days: int = 2
    handover_notice_days: int = 14
    return_within_working_days: int = 15


def periods(term: Term, every_days: int) -> list[Term]:
    """The reporting periods of a term, in order."""
    found, start = [], term.start
    while start <= term.end:
        end = min(start + timedelta(days=every_days - 1), term.end)
        found.append(Term(start, end))
        start = end + timedelta(days=1)
    return found


def covered(period: Term, reports: Iterable[Report]) -> bool:
    """Whether any report's period overlaps the reporting period."""
    return any(r.period_start <= period.end and r.period_end >= period.start for r in reports)


def due_on(period: Term, cadence: Cadence) -> date:
    """The last day on which a report for the period is on time: the `grace`-th working day
    after the period's last day."""
    return nth_working_day_after(period.end, cadence.grace_days)


def overdue_periods(s: Secondment, today: date, cadence: Cadence) -> list[Term]:
    """Periods since arrival whose report is missing after their due day."""
    if s.state not in lifecycle.REPORTS_DUE_IN or s.term is None or s.arrived_on is None:
        return []
    arrived_on = s.arrived_on
    return [
        p
        for p in periods(s.term, cadence.report_every_days)
        if p.end >= arrived_on and due_on(p, cadence) < today and not covered(p, s.reports)
    ]


def handover_due(s: Secondment, today: date, cadence: Cadence) -> bool:
    """Whether the end is near (or past) and handover has not started."""
    if s.state not in lifecycle.HANDOVER_DUE_IN or s.term is None:
        return False
    return today >= s.term.end - timedelta(days=cadence.handover_notice_days)


def term_expired(s: Secondment, today: date) -> bool:
    """Whether the term has ended while the secondment is still open."""
    return s.state in lifecycle.TERM_RUNS_IN and s.term is not None and today > s.term.end


def return_due_on(ended_on: date, cadence: Cadence) -> date:
    """The last day by which the home agency should have taken the official back."""
    return nth_working_day_after(ended_on, cadence.return_within_working_days)


def return_missing(s: Secondment, today: date, cadence: Cadence) -> bool:
    """Whether an ended secondment still has no return recorded after its due day."""
    if s.state not in lifecycle.RETURN_DUE_IN or s.ending is None or s.returned is not None:
        return False
    return return_due_on(s.ending.ended_on, cadence) < today
