"""History by business date on both backends: random histories entered out of order (back-entry
interleaved across secondments, needs declared out of date order) are folded by business date,
and the record on a day, the list active on a day, and the communes and agencies reports on a
day all equal a plain reference computed from the stored facts."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from api.settings import Settings, open_registry
from domain.application import SecondmentRegistry
from domain.errors import NotFound
from domain.lifecycle import OCCUPYING as ACTIVE
from domain.lifecycle import ON_POST
from domain.values import Field, Host, HostEvaluation, Initiator, Rating, ReportKind, Term
from projections.base import Scope, agency_key
from projections.catalog import ReadModels
from projections.communes import CommuneFilter
from projections.history import HistoryView
from projections.secondments import SecondmentFilter, SecondmentsView
from projections.store import ReadStore, open_store
from tests import builders
from tests.integration.test_projections import everything, runner

EVERYTHING = Scope()
WARDS = (3194, 3356, 3325)
AGENCIES = ("Sở Khoa học và Công nghệ", "Sở Xây dựng", "Sở Tư pháp")
START = date(2025, 9, 1)


@pytest.fixture
def world(store: Settings) -> Iterator[tuple[SecondmentRegistry, ReadStore]]:
    app = open_registry(store)
    read = open_store(store)
    ReadModels(read).setup(app)
    yield app, read
    read.close()
    app.close()


def day(n: int) -> date:
    return START + timedelta(days=n)


def plan(rng: random.Random, app: SecondmentRegistry) -> list[Callable[[], Any]]:
    """One secondment's facts in business order, as steps to be interleaved with others'."""
    ward = rng.choice(WARDS)
    requested_on = day(rng.randint(0, 20)) if rng.random() < 0.7 else None
    official = builders.official(is_leader=True)
    holder: dict[str, UUID] = {}
    base = (requested_on or START) + timedelta(days=rng.randint(1, 20))
    term = Term(base + timedelta(days=3), base + timedelta(days=rng.randint(40, 160)))

    def request() -> None:
        holder["id"] = builders.request(
            app,
            who=official,
            host=Host(11, ward),
            home_agency=rng.choice(AGENCIES),
            fields=[rng.choice([Field.JUSTICE, Field.CONSTRUCTION, Field.HEALTH])],
            planned=term,
            requested_on=requested_on,
        ).secondment.id

    steps: list[Callable[[], Any]] = [request]
    ending = rng.random()
    if ending < 0.1:
        steps.append(lambda: app.reject(holder["id"], builders.meta(), "không", effective_on=base))
        return steps
    decision = builders.DECISION_2446.__class__("99/QĐ", base, "UBND")
    steps.append(lambda: app.approve(holder["id"], builders.meta(), decision, term))
    if ending < 0.2:
        steps.append(lambda: app.withdraw(holder["id"], builders.meta(), "rút", effective_on=base))
        return steps
    arrived = term.start + timedelta(days=rng.randint(0, 2))
    steps.append(lambda: app.deploy(holder["id"], builders.meta(), arrived))
    week = Term(arrived, arrived + timedelta(days=6))
    for k in range(rng.randint(0, 3)):
        submitted = week.end + timedelta(days=1 + 7 * k)
        period = Term(week.start + timedelta(days=7 * k), week.end + timedelta(days=7 * k))
        steps.append(
            lambda p=period, s=submitted: app.submit_report(
                holder["id"], builders.meta(), ReportKind.PROGRESS, p, "tuần", submitted_on=s
            )
        )
    last = arrived + timedelta(days=8 + 7 * 3)
    if ending < 0.5:
        steps.append(lambda: app.recall(holder["id"], builders.meta(), last, "cần", Initiator.HOST))
    elif ending < 0.8:
        evaluation = HostEvaluation(Rating.GOOD, "tốt")
        if rng.random() < 0.5:
            return steps
        steps.append(lambda: _handover_and_end(app, holder["id"], last, evaluation))
    return steps


def _handover_and_end(app: SecondmentRegistry, sid: UUID, on: date, e: HostEvaluation) -> None:
    s = app.get(sid)
    if s.state != "reporting":
        app.recall(sid, builders.meta(), on, "chưa báo cáo", Initiator.HOME_AGENCY)
        return
    app.start_handover(sid, builders.meta(), on, ["Xã"], ["Hồ sơ"])
    app.end(sid, builders.meta(), on + timedelta(days=2), e)


def load(app: SecondmentRegistry, seed: int, count: int) -> None:
    rng = random.Random(seed)
    queues = [plan(rng, app) for _ in range(count)]
    while any(queues):
        queue = rng.choice([q for q in queues if q])
        queue.pop(0)()
    for ward in WARDS:
        for _ in range(rng.randint(0, 3)):
            fields = rng.sample(
                [Field.JUSTICE, Field.CONSTRUCTION, Field.HEALTH], rng.randint(1, 2)
            )
            declared = day(rng.randint(0, 200))
            app.declare_needs(builders.meta(), Host(11, ward), fields, "", effective_on=declared)


# -- the reference: states by business date, read off the stored facts ------------------------


def facts(app: SecondmentRegistry) -> dict[UUID, list[Any]]:
    found: dict[UUID, list[Any]] = {}
    for n in app.recorder.select_notifications(1, 10**6):
        if ":Secondment." in n.topic or ":CommuneNeeds." in n.topic:
            found.setdefault(n.originator_id, []).append(app.mapper.to_domain_event(n))
    return found


def dated(e: Any) -> date:
    return e.effective_on or e.timestamp.date()


def state_on(events: list[Any], d: date, known_at: datetime | None = None) -> str | None:
    """The state after the last state-changing fact dated on or before `d` (None before the
    request; an undated request counts from its recording day or its first dated fact), with
    the arrival dates corrected as recorded by `known_at`."""
    known = [e for e in events if known_at is None or e.timestamp <= known_at]
    arrivals = {
        e.corrects_version: e.changes["arrived_on"]
        for e in known
        if type(e).__name__ == "Corrected"
    }
    first = known[0]
    exists = dated(first) <= d
    state = first.to_state
    for e in known[1:]:
        on = arrivals.get(e.originator_version, dated(e))
        if type(e).__name__ != "Corrected" and e.from_state != e.to_state and on <= d:
            state, exists = e.to_state, exists or first.effective_on is None
    return state if exists else None


def correct_arrivals(app: SecondmentRegistry, rng: random.Random) -> dict[UUID, datetime]:
    """Moves some arrivals to the first day of the term; the moment before each correction."""
    before = {}
    for n in app.recorder.select_notifications(1, 10**6):
        if not n.topic.endswith("Secondment.Deployed") or rng.random() < 0.5:
            continue
        s = app.get(n.originator_id, version=n.originator_version)
        if s.term is None or s.arrived_on == s.term.start:
            continue
        before[s.id] = datetime.now(UTC)
        changes = {"arrived_on": s.term.start.isoformat()}
        app.correct(s.id, builders.meta(), n.originator_version, changes, "nhập nhầm")
    return before


def needs_on(events: list[Any], d: date) -> list[str]:
    declared = [e for e in events[1:] if e.effective_on <= d]
    if not declared:
        return []
    latest = max(declared, key=lambda e: (e.effective_on, e.originator_version))
    return [f.value for f in latest.fields]


@pytest.mark.parametrize("seed", [11, 29])
def test_business_date_views_equal_a_reference_fold(world: Any, seed: int) -> None:
    app, read = world
    load(app, seed=seed, count=24)
    corrected = correct_arrivals(app, random.Random(seed))
    assert corrected
    runner(app, read).catch_up()
    for i, moment in corrected.items():
        start = app.get(i).arrived_on
        assert (app.on(i, start).state, app.on(i, start, moment).state) == ("deployed", "approved")
        active = SecondmentsView(read).search(SecondmentFilter(active_on=start), EVERYTHING, 0, 99)
        assert str(i) in {r["secondment_id"] for r in active.items}
    every = facts(app)
    secondments = {i: es for i, es in every.items() if hasattr(es[0], "official")}
    communes = {es[0].ward_code: es for es in every.values() if hasattr(es[0], "ward_code")}
    assert len(secondments) == 24
    assert any(es[0].effective_on is None for es in secondments.values())
    view = HistoryView(read)
    seen: set[str | None] = set()
    for d in [day(n) for n in range(0, 230, 9)]:
        expected = {i: state_on(es, d) for i, es in secondments.items()}
        seen.update(expected.values())
        for i, state in expected.items():
            if state is None:
                with pytest.raises(NotFound):
                    app.on(i, d)
            else:
                assert app.on(i, d).state == state, (i, d)
            if i in corrected:
                then = state_on(secondments[i], d, corrected[i])
                found = app.on(i, d, corrected[i]).state if then else None
                assert found == then, (i, d)

        active = everything(
            lambda a, d=d: SecondmentsView(read).search(
                SecondmentFilter(active_on=d), EVERYTHING, (a or {}).get("seq", 0), 7
            )
        )
        assert {r["secondment_id"] for r in active} == {
            str(i) for i, s in expected.items() if s in ON_POST
        }

        agencies = everything(
            lambda a, d=d: view.agencies(EVERYTHING, None, d, (a or {}).get("agency", ""), 2)
        )
        want: dict[str, Counter[str]] = {}
        for i, state in expected.items():
            if state is None:
                continue
            es = secondments[i]
            c = want.setdefault(agency_key(es[0].home_agency), Counter())
            c["requested"] += 1
            c["sent"] += any(type(e).__name__ == "Approved" and dated(e) <= d for e in es)
            if state in ACTIVE:
                c["active"] += 1
            elif state == "ended":
                recalled = any(type(e).__name__ == "Recalled" and dated(e) <= d for e in es)
                c["recalled" if recalled else "ended"] += 1
            else:
                c["pending" if state == "requested" else state] += 1
        got = {
            r["agency_key"]: {k: v for k, v in r.items() if isinstance(v, int) and v}
            for r in agencies
        }
        assert {k: {n: v for n, v in got[k].items() if n != "officials_sent"} for k in got} == {
            k: {n: c for n, c in v.items() if c} for k, v in want.items()
        }

        report = everything(
            lambda a, d=d: view.communes(
                CommuneFilter(), EVERYTHING, d, (a or {}).get("ward", 0), 2
            )
        )
        by_ward: dict[int, Counter[str]] = {}
        for i, state in expected.items():
            if state in ACTIVE:
                es = secondments[i]
                c = by_ward.setdefault(es[0].host.ward_code, Counter())
                c.update(f.value for f in es[0].fields)
        shown = {r["ward_code"]: r for r in report}
        for ward in WARDS:
            needs = needs_on(communes[ward], d) if ward in communes else []
            if ward not in by_ward and not needs:
                assert ward not in shown
                continue
            row = shown[ward]
            assert row["needs"] == ",".join(["", *needs, ""]) if needs else row["needs"] == ""
            assert row["active"] == sum(
                1
                for i, s in expected.items()
                if s in ACTIVE and secondments[i][0].host.ward_code == ward
            )
            summary, postings = view.commune(ward, EVERYTHING, d)
            assert summary is not None
            assert Counter(p["fields"].strip(",") for p in postings) == by_ward.get(ward, Counter())
    assert {None, "requested", "approved", "deployed", "reporting", "ended"} <= seen
