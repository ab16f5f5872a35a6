"""How often a record is read, counted on the real store: a timer pass loads each active record
once and replays nothing already recorded, an HTTP command loads its record once, and the trail
(`/events`) reads only its page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings, open_registry
from domain.application import SecondmentRegistry
from domain.deadlines import Cadence, periods
from domain.values import ReportKind, Term
from projections.catalog import ReadModels
from projections.runner import Runner
from projections.store import open_store
from tests import builders
from tests.api.helpers import BODIES, Api
from tests.builders import TERM, meta
from workers.timers import run_pass

VIETNAM_9AM = "T09:00:00+07:00"


class Reads:
    """Counts, on one application, aggregate loads by id and stored events read by id."""

    def __init__(self, app: SecondmentRegistry, monkeypatch: pytest.MonkeyPatch) -> None:
        self.loads: Counter[UUID] = Counter()
        self.events: Counter[UUID] = Counter()
        get, select = app.repository.get, app.recorder.select_events

        def counted_get(aggregate_id: UUID, *args: Any, **kwargs: Any) -> Any:
            self.loads[aggregate_id] += 1
            return get(aggregate_id, *args, **kwargs)

        def counted_select(originator_id: UUID, *args: Any, **kwargs: Any) -> Any:
            found = select(originator_id, *args, **kwargs)
            self.events[originator_id] += len(found)
            return found

        monkeypatch.setattr(app.repository, "get", counted_get)
        monkeypatch.setattr(app.recorder, "select_events", counted_select)

    def clear(self) -> None:
        self.loads.clear()
        self.events.clear()


@pytest.fixture
def registry(store: Settings) -> Iterator[SecondmentRegistry]:
    app = open_registry(store)
    yield app
    app.close()


def test_a_timer_pass_loads_each_record_once_and_replays_nothing(
    store: Settings, registry: SecondmentRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = builders.deployed(registry).secondment.id
    read = open_store(store)
    try:
        ReadModels(read).setup(registry)
        Runner(registry, read).catch_up()
        reads = Reads(registry, monkeypatch)
        now = datetime.fromisoformat(f"2026-02-25{VIETNAM_9AM}")
        missed = [p for p in periods(TERM, 7) if p.end + timedelta(days=2) < now.date()]
        first = run_pass(registry, read, now, lambda kind: Cadence())
        assert (first.checked, first.recorded) == (1, Counter(ReportOverdue=len(missed)))
        assert len(missed) == 18
        assert reads.loads == Counter({sid: 1})
        reads.clear()
        again = run_pass(registry, read, now, lambda kind: Cadence())
        assert (again.checked, again.recorded) == (1, Counter())
        assert reads.loads == Counter({sid: 1})
        assert reads.events[sid] == registry.get(sid).version
    finally:
        read.close()


def test_an_http_command_loads_its_record_once(store: Settings, monkeypatch: Any) -> None:
    settings = store.model_copy(update={"run_projections": False})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        api = Api(client, settings)
        sid = api.create()["id"]
        for action in ("approve", "deploy"):
            assert api.act(sid, action).status_code == 200
        personnel_id = api.registry.get(UUID(sid)).official.personnel_id
        reads = Reads(api.registry, monkeypatch)
        reported = api.act(sid, "reports", "official", personnel_id=personnel_id)
        assert reported.status_code == 200, reported.text
        assert reads.loads[UUID(sid)] == 1
        assert reads.events[UUID(sid)] == reported.json()["version"] - 1


def test_a_decision_loads_each_record_once(store: Settings, monkeypatch: Any) -> None:
    settings = store.model_copy(update={"run_projections": False})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        api = Api(client, settings)
        ids = [api.create()["id"], api.create()["id"]]
        reads = Reads(api.registry, monkeypatch)
        body = {**BODIES["approve"], "secondment_ids": ids}
        decided = client.post("/v1/decisions", json=body, headers=api.headers("home_affairs"))
        assert decided.status_code == 200, decided.text
        assert [reads.loads[UUID(i)] for i in ids] == [1, 1]


def test_the_trail_reads_only_its_page(store: Settings, monkeypatch: Any) -> None:
    settings = store.model_copy(update={"run_projections": False})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        api = Api(client, settings)
        registry = api.registry
        sid = builders.deployed(registry, home_agency="Sở Khoa học và Công nghệ").secondment.id
        for week in periods(Term(TERM.start, date(2026, 2, 1)), 7):
            registry.submit_report(sid, meta(), ReportKind.PROGRESS, week, "tuần")
        assert registry.get(sid).version > 15
        reads = Reads(registry, monkeypatch)
        page = api.get(f"/v1/secondments/{sid}/events?limit=5", "ministry")
        assert page.status_code == 200 and len(page.json()["items"]) == 5
        assert reads.events[sid] <= 5 + 1 + 1  # the page, one to know there is more, version 1
        missing = api.get(f"/v1/secondments/{UUID(int=7)}/events", "ministry")
        assert missing.status_code == 404
