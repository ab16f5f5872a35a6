"""Deadlines recorded by the system: a six-month secondment driven day by day."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time, timedelta

import pytest

from api.settings import open_registry
from domain.application import VIETNAM
from domain.deadlines import Cadence, periods
from domain.values import Decision, Initiator, ReportKind, Term
from tests import builders
from tests.builders import TERM, meta

CADENCE = Cadence()
ARRIVED = date(2025, 10, 21)
MISSED = {3, 4, 10}
"""Reporting periods (0-based) whose report the official never sends."""


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 10, 21, tzinfo=UTC)
        """The arrival day in Vietnam: an arrival is not recorded before it happens."""

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def timed_registry(store, clock):
    registry = open_registry(store, clock=clock)
    yield registry
    registry.close()


def vn(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), VIETNAM)


def drive(registry, clock, sid, first: date, last: date, on_day=None):
    """Runs the deadline pass once a day at 09:00 in Vietnam; the official reports each Monday."""
    recorded = []
    day = first
    while day <= last:
        clock.now = vn(day)
        if on_day:
            on_day(day)
        recorded += registry.record_due(sid, clock.now, CADENCE)
        day += timedelta(days=1)
    return recorded


def report_weekly(registry, sid, term: Term):
    def on_day(day: date):
        s = registry.get(sid)
        if s.state not in ("deployed", "reporting"):
            return
        for index, period in enumerate(periods(s.term, 7)):
            if period.end + timedelta(days=1) == day and index not in MISSED:
                registry.submit_report(sid, meta(), ReportKind.PROGRESS, period, f"tuần {index}")

    return on_day


def flags(registry, sid):
    found = []
    for e in registry.events.get(sid):
        name = type(e).__name__
        if name == "ReportOverdue":
            found.append((name, e.period.start))
        elif name in ("HandoverDue", "TermExpired"):
            found.append((name, e.end))
    return found


def test_six_months_day_by_day(timed_registry, clock):
    sid = builders.deployed(timed_registry).secondment.id
    drive(
        timed_registry,
        clock,
        sid,
        date(2025, 10, 20),
        date(2026, 5, 10),
        report_weekly(timed_registry, sid, TERM),
    )
    term_periods = periods(TERM, 7)
    expected = [("ReportOverdue", term_periods[i].start) for i in sorted(MISSED)]
    expected += [("HandoverDue", TERM.end), ("TermExpired", TERM.end)]
    assert flags(timed_registry, sid) == expected
    events = list(timed_registry.events.get(sid))
    overdue = [e for e in events if type(e).__name__ == "ReportOverdue"]
    assert all(e.meta.actor.role.value == "system" for e in overdue)
    assert [e.effective_on for e in overdue] == [
        term_periods[i].end + timedelta(days=2) for i in sorted(MISSED)
    ]
    handover_due = next(e for e in events if type(e).__name__ == "HandoverDue")
    assert handover_due.effective_on == TERM.end - timedelta(days=14)

    again = drive(timed_registry, clock, sid, date(2025, 10, 20), date(2026, 5, 10))
    assert again == []
    assert len(list(timed_registry.events.get(sid))) == len(events)


def test_two_timers_at_once_record_nothing_twice(timed_registry, clock):
    sid = builders.deployed(timed_registry).secondment.id
    clock.now = vn(date(2026, 5, 1))
    with ThreadPoolExecutor(4) as pool:
        results = list(
            pool.map(lambda _: timed_registry.record_due(sid, clock.now, CADENCE), range(4))
        )
    recorded = [r for batch in results for r in batch]
    names = [type(e).__name__ for e in timed_registry.events.get(sid)][3:]
    assert len(recorded) == len(names)
    assert names.count("HandoverDue") == 1 and names.count("TermExpired") == 1
    assert names.count("ReportOverdue") == len(periods(TERM, 7))


def test_an_extension_moves_the_later_deadlines(timed_registry, clock):
    sid = builders.deployed(timed_registry).secondment.id
    new_end = date(2026, 6, 30)

    def on_day(day: date):
        report_weekly(timed_registry, sid, TERM)(day)
        if day == date(2026, 3, 1):
            timed_registry.extend(
                sid, meta(), new_end, Decision("3001/QĐ-UBND", day, "UBND tỉnh Điện Biên")
            )

    drive(timed_registry, clock, sid, date(2025, 10, 20), date(2026, 7, 5), on_day)
    found = flags(timed_registry, sid)
    assert ("HandoverDue", new_end) in found and ("TermExpired", new_end) in found
    assert ("HandoverDue", TERM.end) not in found and ("TermExpired", TERM.end) not in found
    handover_due = next(
        e for e in timed_registry.events.get(sid) if type(e).__name__ == "HandoverDue"
    )
    assert handover_due.effective_on == new_end - timedelta(days=14)


def test_a_recall_stops_the_deadlines(timed_registry, clock):
    sid = builders.deployed(timed_registry).secondment.id

    def on_day(day: date):
        if day == date(2025, 11, 20):
            timed_registry.recall(sid, meta(), day, "Cơ quan cần", Initiator.HOME_AGENCY)

    drive(timed_registry, clock, sid, date(2025, 10, 20), date(2026, 5, 10), on_day)
    found = flags(timed_registry, sid)
    assert [name for name, _ in found] == ["ReportOverdue"] * 4
    assert timed_registry.get(sid).state == "ended"


def test_a_report_at_23_30_on_the_due_day_in_vietnam_is_on_time(timed_registry, clock):
    sid = builders.deployed(timed_registry).secondment.id
    first = periods(TERM, 7)[0]
    due_day = first.end + timedelta(days=2)
    clock.now = vn(due_day, 23, 30)
    assert clock.now.astimezone(UTC).date() == due_day
    assert timed_registry.record_due(sid, clock.now, CADENCE) == []
    timed_registry.submit_report(sid, meta(), ReportKind.PROGRESS, first, "nộp lúc 23:30")
    just_after_midnight = vn(due_day + timedelta(days=1), 0, 5)
    assert just_after_midnight.astimezone(UTC).date() == due_day
    assert timed_registry.record_due(sid, just_after_midnight, CADENCE) == []


def test_a_missing_report_is_overdue_from_midnight_in_vietnam(timed_registry, clock):
    sid = builders.deployed(timed_registry).secondment.id
    first = periods(TERM, 7)[0]
    due_day = first.end + timedelta(days=2)
    assert timed_registry.record_due(sid, vn(due_day, 23, 59), CADENCE) == []
    recorded = timed_registry.record_due(sid, vn(due_day + timedelta(days=1), 0, 5), CADENCE)
    assert [r.secondment.overdue_periods for r in recorded] == [[first]]
