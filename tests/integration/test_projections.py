"""Read models on both backends: each equals a plain reference fold of the same history (the
domain's own aggregates), a rebuild gives the same rows as incremental processing, and a rebuild
under concurrent writes loses nothing while reads stay available."""

from __future__ import annotations

import itertools
import random
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.settings import Settings, open_registry
from domain.application import SecondmentRegistry
from domain.commune import CommuneNeeds
from domain.deadlines import Cadence, covered, due_on, periods
from domain.lifecycle import OCCUPYING
from domain.secondment import Secondment
from domain.values import Field, Host
from projections import versions
from projections.agencies import AgenciesView
from projections.base import Scope, Tables, agency_key
from projections.catalog import BY_NAME, MODELS, ReadModels, head
from projections.communes import CommuneFilter, CommunesView, present
from projections.compliance import ComplianceFilter, ComplianceView
from projections.deadlines import DeadlinesView
from projections.decisions import DecisionsView
from projections.difficulties import DifficultiesView, DifficultyFilter
from projections.runner import Runner
from projections.secondments import SecondmentFilter, SecondmentsView
from projections.store import ReadStore, open_store
from tests import builders
from tests.bench import generator
from tests.unit import states

TODAY = date(2026, 1, 15)
SEEDS = itertools.count(0, 10**7)
EVERYTHING = Scope()


@pytest.fixture
def world(store: Settings) -> Iterator[tuple[SecondmentRegistry, ReadStore]]:
    app = open_registry(store)
    read = open_store(store)
    ReadModels(read).setup(app)
    yield app, read
    read.close()
    app.close()


def runner(app: SecondmentRegistry, read: ReadStore, **options: Any) -> Runner:
    return Runner(app, read, drop_grace=0, poll=0.05, **options)


def load_history(app: SecondmentRegistry, events: int, seed: int) -> None:
    """A random nationwide history through the domain, a walk of every row of the lifecycle
    table (from every source state, and into `ended` both by ending and by recall), plus needs
    declared by some hosts."""
    generator.load(app, events, seed)
    rng = random.Random(seed)
    app.save(*states.every_row(rng))
    wards = sorted({s.host.ward_code for s in secondments(app) if s.host.ward_code})
    for ward in rng.sample(wards, min(len(wards), 3)):
        needs = rng.sample(list(Field), rng.randint(1, 4))
        host = Host(_province(ward), ward)
        app.declare_needs(builders.meta(), host, needs, "Thiếu cán bộ")


def _province(ward: int) -> int:
    from domain.units import ward_province

    return ward_province(ward) or 0


def secondments(app: SecondmentRegistry) -> list[Secondment]:
    found = []
    start = 1
    while batch := app.recorder.select_notifications(start, 1000):
        for n in batch:
            if n.topic.endswith("Secondment.Requested"):
                found.append(app.get(n.originator_id))
        start = batch[-1].id + 1
    return found


def needs_records(app: SecondmentRegistry) -> list[CommuneNeeds]:
    ids = {
        n.originator_id
        for n in app.recorder.select_notifications(1, 10**7)
        if n.topic.endswith("CommuneNeeds.NeedsDeclared")
    }
    return [app.repository.get(i) for i in ids]


def everything(search: Any) -> list[dict[str, Any]]:
    """Every page of a paged query."""
    rows, after = [], None
    while True:
        page = search(after)
        rows.extend(page.items)
        if page.after is None:
            return rows
        after = page.after


# -- the reference: the domain's own fold of the same events --------------------------------------


def expected_secondment(s: Secondment) -> dict[str, Any]:
    return {
        "secondment_id": str(s.id),
        "state": s.state,
        "full_name": s.official.full_name,
        "personnel_id": s.official.personnel_id,
        "home_agency": s.home_agency,
        "province_code": s.host.province_code,
        "ward_code": s.host.ward_code,
        "kind": s.kind.value,
        "fields": "," + ",".join(f.value for f in s.fields) + ",",
        "decision_number": s.decision.number if s.decision else None,
        "term_end": s.term.end.isoformat() if s.term else None,
        "last_report_on": max((r.submitted_on.isoformat() for r in s.reports), default=None),
        "reports": len(s.reports),
        "open_difficulties": sum(not d.resolved for d in s.difficulties),
        "handover_started": int(s.handover_record is not None),
        "outcome": s.ending.outcome.value if s.ending else None,
        "version": s.version,
    }


def expected_communes(app: SecondmentRegistry, all_: list[Secondment]) -> dict[int, Any]:
    needs = {n.ward_code: [f.value for f in n.fields] for n in needs_records(app)}
    wards = set(needs) | {s.host.ward_code for s in all_ if s.host.ward_code}
    found = {}
    for ward in wards:
        active = [s for s in all_ if s.host.ward_code == ward and s.state in OCCUPYING]
        by_field = Counter(f.value for s in active for f in s.fields)
        wanted = needs.get(ward, [])
        found[ward] = {
            "needs": wanted,
            "active": len(active),
            "active_by_field": dict(by_field),
            "uncovered": [f for f in wanted if f not in by_field],
        }
    return found


def expected_agencies(all_: list[Secondment]) -> dict[str, dict[str, int]]:
    found: dict[str, Counter[str]] = {}
    for s in all_:
        c = found.setdefault(agency_key(s.home_agency), Counter())
        c["requested"] += 1
        c["sent"] += s.decision is not None
        if s.state in OCCUPYING:
            c["active"] += 1
        elif s.ending is not None:
            c[s.ending.outcome.value.replace("completed", "ended")] += 1
        elif s.state == "requested":
            c["pending"] += 1
        else:
            c[s.state] += 1
    return {k: {n: c for n, c in v.items() if c} for k, v in found.items()}


def expected_standing(s: Secondment) -> tuple[int, int, int]:
    assert s.term is not None
    if s.arrived_on is None:
        return 0, 0, 0
    since = [p for p in periods(s.term, 7) if p.end >= s.arrived_on]
    due = [p for p in since if p.end < TODAY]
    missing = [p for p in due if not covered(p, s.reports)]
    overdue = [p for p in missing if due_on(p, Cadence()) < TODAY]
    return len(due), len(due) - len(missing), len(overdue)


def check_against_reference(app: SecondmentRegistry, read: ReadStore) -> None:
    all_ = secondments(app)
    active = [s for s in all_ if s.state in OCCUPYING]

    rows = everything(
        lambda a: SecondmentsView(read).search(
            SecondmentFilter(), EVERYTHING, (a or {}).get("seq", 0), 97
        )
    )
    got = {r["secondment_id"]: {k: r[k] for k in expected_secondment(all_[0])} for r in rows}
    assert got == {str(s.id): expected_secondment(s) for s in all_}

    reports = everything(
        lambda a: CommunesView(read).report(
            CommuneFilter(), EVERYTHING, (a or {}).get("ward", 0), 50
        )
    )
    shown = {r["ward_code"]: present(r) for r in reports}
    picked = {
        w: {k: v[k] for k in ("needs", "active", "active_by_field", "uncovered")}
        for w, v in shown.items()
    }
    assert picked == expected_communes(app, all_)

    agencies = everything(
        lambda a: AgenciesView(read).report(EVERYTHING, None, (a or {}).get("agency", ""), 7)
    )
    got_agencies = {
        r["agency_key"]: {
            k: v for k, v in r.items() if isinstance(v, int) and v and k != "officials_sent"
        }
        for r in agencies
    }
    assert got_agencies == expected_agencies(all_)

    numbers = Counter(s.decision.number for s in all_ if s.decision)
    for number, count in numbers.items():
        summary, _ = DecisionsView(read).decision(number, EVERYTHING, 0, 10)
        assert summary is not None and summary["officials"] == count

    standing = everything(
        lambda a: ComplianceView(read).report(
            ComplianceFilter(),
            EVERYTHING,
            TODAY,
            lambda kind: Cadence(),
            (a["open"], a["seq"]) if a else None,
            41,
        )
    )
    assert {r["secondment_id"]: (r["due"], r["submitted"], r["overdue"]) for r in standing} == {
        str(s.id): expected_standing(s) for s in active
    }

    far = date(2100, 1, 1)
    ending = everything(
        lambda a: DeadlinesView(read).ending(
            EVERYTHING, far, False, (a["end"], a["seq"]) if a else None, 33
        )
    )
    assert [(r["secondment_id"], r["term_end"], r["handover_started"]) for r in ending] == sorted(
        (
            (str(s.id), s.term.end.isoformat(), s.handover_record is not None)
            for s in active
            if s.term
        ),
        key=lambda x: (x[1], [str(a.id) for a in all_].index(x[0])),
    )

    _, page = DifficultiesView(read).report(DifficultyFilter(), EVERYTHING, 0, 500)
    assert {
        (r["secondment_id"], r["number"]): (r["status"], r["escalated_to"]) for r in page.items
    } == {
        (str(s.id), d.number): (d.status.value, d.escalated_to.value if d.escalated_to else None)
        for s in all_
        for d in s.difficulties
    }

    audited = [
        n
        for n in app.recorder.select_notifications(1, 10**7)
        if ":Secondment." in n.topic or n.topic.endswith(("NeedsDeclared", "AreaDeclared"))
    ]
    with read.read() as tx:
        v = versions.live(tx, read)["audit"].version
        table = read.table(f"{read.prefix}audit_v{v}")
        log = tx.rows(f"SELECT position, type FROM {table} ORDER BY position")
    assert [(r["position"], r["type"]) for r in log] == [
        (n.id, n.topic.rsplit(".", 1)[1]) for n in audited
    ]


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 10**6), events=st.integers(20, 300))
def test_read_models_equal_a_reference_fold(world: Any, seed: int, events: int) -> None:
    app, read = world
    load_history(app, events, seed + next(SEEDS))
    runner(app, read, batch_size=random.Random(seed).choice([7, 50, 500])).catch_up()
    check_against_reference(app, read)


# -- rebuilds -----------------------------------------------------------------------------------


def dump(read: ReadStore) -> dict[str, list[dict[str, Any]]]:
    """Every row of every live table, keyed by model and table suffix."""
    found = {}
    with read.read() as tx:
        live = versions.live(tx, read)
        for model in MODELS:
            for table in model.tables:
                name = read.table(
                    f"{read.prefix}{model.name}_v{live[model.name].version}"
                    + (f"_{table.suffix}" if table.suffix else "")
                )
                order = ", ".join(table.key)
                found[f"{model.name}.{table.suffix}"] = tx.rows(
                    f"SELECT * FROM {name} ORDER BY {order}"
                )
    return found


def rebuild_all(app: SecondmentRegistry, read: ReadStore) -> None:
    models = ReadModels(read)
    for model in MODELS:
        models.request_rebuild(model.name)
    runner(app, read).catch_up()


def test_rebuild_gives_the_same_rows_as_incremental_processing(world: Any) -> None:
    app, read = world
    r = runner(app, read, batch_size=13)
    generator.load(app, 400, seed=7)
    r.catch_up()
    generator.load(app, 300, seed=8)
    r.catch_up()
    incremental = dump(read)
    rebuild_all(app, read)
    with read.read() as tx:
        every = versions.all_versions(tx, read)
    assert {(v.version, v.status) for v in every} == {(2, "live")}
    assert dump(read) == incremental
    assert sum(len(rows) for rows in incremental.values()) > 500


def indexes(read: ReadStore, model: str, version: int) -> set[str]:
    """The names of the indexes on a version's tables, from the database's catalog."""
    found: set[str] = set()
    with read.read() as tx:
        for table in BY_NAME[model].tables:
            raw = Tables(read, model, version).raw(table.suffix)
            if read.postgres:
                rows = tx.rows(
                    "SELECT indexname AS name FROM pg_indexes "
                    "WHERE schemaname = ? AND tablename = ?",
                    (getattr(read, "schema", "public"), raw),
                )
            else:
                rows = tx.rows(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (raw,)
                )
            found |= {r["name"] for r in rows if r["name"].startswith("ix_")}
    return found


def declared(read: ReadStore, model: str, version: int, *which: str) -> set[str]:
    """The index names a model declares: its query `indexes` and/or those it is `applying`."""
    t = Tables(read, model, version)
    return {
        f"ix_{t.raw(table.suffix)}_{'_'.join(index)}"
        for table in BY_NAME[model].tables
        for kind in which
        for index in getattr(table, kind)
    }


def test_a_rebuild_fills_its_tables_in_large_batches_and_indexes_them_when_switched(
    world: Any,
) -> None:
    app, read = world
    generator.load(app, 600, seed=5)
    runner(app, read, batch_size=50).catch_up()
    for name in ("audit", "communes"):
        assert indexes(read, name, 1) == declared(read, name, 1, "indexes", "applying")
    audit, communes = (ReadModels(read).request_rebuild(n) for n in ("audit", "communes"))
    assert indexes(read, "audit", audit) == set()
    assert indexes(read, "communes", communes) == declared(read, "communes", communes, "applying")
    assert declared(read, "communes", communes, "applying")

    r = runner(app, read, batch_size=7, rebuild_batch_size=250)
    r.step()
    with read.read() as tx:
        building = {
            v.name: v.position
            for v in versions.all_versions(tx, read)
            if v.status == versions.BUILDING
        }
    assert building == {"audit": 250, "communes": 250}
    assert indexes(read, "audit", audit) == set()

    r.catch_up()
    with read.read() as tx:
        live = versions.live(tx, read)
    assert (live["audit"].version, live["communes"].version) == (audit, communes)
    for name, version in (("audit", audit), ("communes", communes)):
        assert indexes(read, name, version) == declared(read, name, version, "indexes", "applying")


def test_a_rebuild_under_concurrent_writes_loses_nothing_and_reads_stay_up(world: Any) -> None:
    app, read = world
    generator.load(app, 1500, seed=11)
    background = runner(app, read, batch_size=50)
    background.start()
    assert ReadModels(read).wait(head(app), timeout=60)
    before = len(secondments(app))
    stop, failures, seen = threading.Event(), [], []

    def write() -> None:
        for _ in range(25):
            builders.deployed(app)
            if stop.is_set():
                return

    def read_continuously() -> None:
        while not stop.is_set():
            try:
                page = SecondmentsView(read).search(SecondmentFilter(), EVERYTHING, 0, 500)
                seen.append(len(page.items))
            except Exception as e:
                failures.append(e)

    threads = [threading.Thread(target=write), threading.Thread(target=read_continuously)]
    for t in threads:
        t.start()
    ReadModels(read).request_rebuild("secondments")
    ReadModels(read).request_rebuild("communes")
    threads[0].join()
    assert ReadModels(read).wait(head(app), timeout=60)
    deadline = threading.Event()
    while any(s.rebuilding for s in ReadModels(read).status(head(app))):
        deadline.wait(0.05)
    assert ReadModels(read).wait(head(app), timeout=60)
    stop.set()
    threads[1].join()
    background.stop()
    assert not failures
    assert seen and min(seen) >= before
    assert seen == sorted(seen), "a read saw fewer secondments than an earlier one"
    check_against_reference(app, read)
    live = dump(read)
    rebuild_all(app, read)
    assert dump(read) == live
