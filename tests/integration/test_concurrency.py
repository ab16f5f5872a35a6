"""Conflicting writers on PostgreSQL: each accepted command is exactly one event, the rest are
refused with a conflict, nothing is lost."""

import threading
import unicodedata
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from api.settings import open_registry
from domain.errors import Conflict, DomainError, IllegalTransition, RuleViolation
from domain.values import Field, Term
from tests import builders
from tests.builders import DECISION_2446, TERM, meta

THREADS = 12


@pytest.fixture
def pg_registry(pg_store):
    registry = open_registry(pg_store.model_copy(update={"db_pool_size": THREADS}))
    yield registry
    registry.close()


def run_all(calls):
    def attempt(call):
        try:
            return call()
        except DomainError as e:
            return e

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(attempt, calls))


def test_conflicting_transitions_accept_exactly_one(pg_registry):
    sid = builders.approved(pg_registry).secondment.id
    results = run_all([lambda: pg_registry.deploy(sid, meta(), date(2025, 10, 21))] * THREADS)
    accepted = [r for r in results if not isinstance(r, Exception)]
    assert len(accepted) == 1
    assert all(
        isinstance(r, IllegalTransition | Conflict) for r in results if isinstance(r, Exception)
    )
    assert [e.originator_version for e in pg_registry.events.get(sid)] == [1, 2, 3]


def test_concurrent_difficulties_each_become_one_event(pg_registry):
    sid = builders.deployed(pg_registry).secondment.id

    def raise_one(n):
        return lambda: pg_registry.raise_difficulty(sid, meta(), f"Khó khăn {n}", "", Field.JUSTICE)

    results = run_all([raise_one(n) for n in range(THREADS * 2)])
    accepted = [r for r in results if not isinstance(r, Exception)]
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, Exception))
    events = list(pg_registry.events.get(sid))
    assert [e.originator_version for e in events] == list(range(1, len(events) + 1))
    assert len(events) == 3 + len(accepted)
    assert sorted(r.version for r in accepted) == list(range(4, 4 + len(accepted)))
    titles = sorted(d.title for d in pg_registry.get(sid).difficulties)
    assert titles == sorted(e.difficulty.title for e in events[3:])


def test_one_person_cannot_be_approved_twice_under_a_race(pg_registry):
    person = builders.official()
    ids = [builders.request(pg_registry, who=person).secondment.id for _ in range(THREADS)]
    results = run_all(
        [lambda sid=sid: pg_registry.approve(sid, meta(), DECISION_2446, TERM) for sid in ids]
    )
    accepted = [r for r in results if not isinstance(r, Exception)]
    assert len(accepted) == 1
    assert all(isinstance(r, RuleViolation | Conflict) for r in results if isinstance(r, Exception))
    approved = [sid for sid in ids if pg_registry.get(sid).state == "approved"]
    assert approved == [accepted[0].secondment.id]
    assert pg_registry.active_secondment_of(person.personnel_id) == approved[0]


def test_racing_approvals_of_one_person_win_once_per_term(pg_registry):
    """Spellings of one id race for two consecutive terms: one approval wins each term."""
    terms = [TERM, Term(date(2026, 4, 20), date(2026, 10, 19))]
    spellings = ["HÀ-{}", unicodedata.normalize("NFD", "hà-{} ")]
    suffix = uuid.uuid4().hex[:8]
    ids = [
        (
            builders.request(
                pg_registry, who=builders.official(personnel_id=spelling.format(suffix))
            ).secondment.id,
            term,
        )
        for spelling in spellings
        for term in terms
        for _ in range(THREADS // 4)
    ]
    results = run_all(
        [lambda s=s, t=t: pg_registry.approve(s, meta(), DECISION_2446, t) for s, t in ids]
    )
    accepted = [r for r in results if not isinstance(r, Exception)]
    assert sorted(r.secondment.term.start for r in accepted) == [t.start for t in terms]
    assert all(isinstance(r, RuleViolation | Conflict) for r in results if isinstance(r, Exception))


def test_processes_starting_together_on_an_empty_database_all_open_it(pg_store):
    """API and projection workers start at once on a new database: each creates the event
    store's tables if missing; none may fail on the race (PostgreSQL: "tuple concurrently
    updated"), and all then share one store."""
    gate = threading.Barrier(8)

    def start(_: int) -> object:
        gate.wait()
        return open_registry(pg_store)

    with ThreadPoolExecutor(8) as pool:
        opened = list(pool.map(start, range(8)))
    try:
        recorded = builders.request(opened[0])
        assert all(app.get(recorded.secondment.id).version == 1 for app in opened)
    finally:
        for app in opened:
            app.close()
