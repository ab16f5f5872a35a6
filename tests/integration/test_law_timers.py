"""The deadline worker on each backend, in Vietnam's working days: reports around Tết 2026, and a
return still missing 15 working days after the end (flagged once, then no longer looked at)."""

from datetime import date, datetime, time

import pytest

from api.settings import open_registry
from domain.application import VIETNAM
from domain.deadlines import Cadence
from domain.values import Appraisal, Decision, Initiator, Rating, Term
from projections.base import NotLive, Scope
from projections.catalog import ReadModels
from projections.compliance import ComplianceFilter, ComplianceView
from projections.returns import ReturnsView
from projections.runner import Runner
from projections.store import open_store
from tests import builders
from tests.builders import meta
from workers.timers import cadences, run_pass


def vn(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), VIETNAM)


@pytest.fixture
def registry(store):
    registry = open_registry(store)
    yield registry
    registry.close()


def overdue_starts(registry, sid) -> list[date]:
    return [e.period.start for e in registry.events.get(sid) if type(e).__name__ == "ReportOverdue"]


def test_reports_are_never_overdue_on_a_day_offices_were_closed(registry):
    rated = tuple(Appraisal(y, Rating.GOOD) for y in (2023, 2024, 2025))
    term = Term(date(2026, 2, 2), date(2026, 7, 31))
    r = builders.request(registry, who=builders.official(appraisals=rated), planned=term)
    sid = r.secondment.id
    registry.approve(sid, meta(), Decision("15/QĐ-UBND", date(2026, 1, 20), "UBND tỉnh"), term)
    registry.deploy(sid, meta(), date(2026, 2, 2))
    cadence = Cadence(report_every_days=7, grace_days=2)

    registry.record_due(sid, vn(date(2026, 2, 20)), cadence)
    assert overdue_starts(registry, sid) == [date(2026, 2, 2)]
    registry.record_due(sid, vn(date(2026, 2, 24)), cadence)  # due that Tuesday: not yet late
    assert overdue_starts(registry, sid) == [date(2026, 2, 2)]
    registry.record_due(sid, vn(date(2026, 2, 25)), cadence)
    assert overdue_starts(registry, sid) == [date(2026, 2, 2), date(2026, 2, 9), date(2026, 2, 16)]
    assert [p.end for p in registry.get(sid).overdue_periods][-1] == date(2026, 2, 22)


def test_a_missing_return_is_flagged_after_15_working_days(store, registry):
    sid = builders.deployed(registry).secondment.id
    registry.recall(sid, meta(), date(2026, 4, 19), "Cơ quan cần cán bộ", Initiator.HOME_AGENCY)
    read = open_store(store)
    ReadModels(read).setup(registry)
    runner = Runner(registry, read)
    try:
        runner.catch_up()
        cadence_for = cadences(store)
        on_time = run_pass(registry, read, vn(date(2026, 5, 13)), cadence_for)
        assert (on_time.checked, on_time.recorded["ReturnMissing"]) == (1, 0)
        late = run_pass(registry, read, vn(date(2026, 5, 14)), cadence_for)
        assert late.recorded["ReturnMissing"] == 1
        assert registry.get(sid).return_missing_since == date(2026, 5, 13)
        again = run_pass(registry, read, vn(date(2026, 5, 15)), cadence_for)
        assert again.recorded["ReturnMissing"] == 0
        runner.catch_up()
        listed = ReturnsView(read).missing(Scope(), None, 10).items
        assert [(r["secondment_id"], r["return_due_on"]) for r in listed] == [
            (str(sid), "2026-05-13")
        ]
        registry.record_return(sid, meta(), date(2026, 5, 18), "Phó Trưởng phòng")
        runner.catch_up()
        after = run_pass(registry, read, vn(date(2026, 5, 19)), cadence_for)
        assert after.checked == 0
    finally:
        read.close()


def test_compliance_answers_building_while_its_older_layout_is_live(store, registry):
    """After the upgrade the revision-2 tables (no consultation column) stay live until the
    rebuild is done: the report says it is being built rather than failing or guessing."""
    read = open_store(store)
    try:
        ReadModels(read).setup(registry)
        view = ComplianceView(read)
        assert (
            view.report(ComplianceFilter(), Scope(), date(2026, 1, 1), Cadence, None, 5).items == []
        )
        with view.reading() as (_, t):
            table = t.main
        with read.write() as tx:
            tx.execute(f"ALTER TABLE {table} DROP COLUMN consultation_missing")
        with pytest.raises(NotLive):
            view.report(ComplianceFilter(), Scope(), date(2026, 1, 1), Cadence, None, 5)
    finally:
        read.close()
