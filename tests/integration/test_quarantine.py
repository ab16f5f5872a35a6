"""One failing read model does not stall the read side: it is quarantined (status, logs), the
others go on, queries wait only on the models they read, and a restart or a rebuild releases it.
A new read model on a log that already has events is building, and its queries answer 503."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.logs import RedactingFormatter
from api.settings import Settings, open_registry
from domain.application import SecondmentRegistry
from projections import versions
from projections.agencies import Agencies
from projections.base import Event, Tables, registry_table
from projections.catalog import MODELS, ReadModels, head
from projections.runner import Runner
from projections.store import ReadStore, Tx, open_store
from tests import builders
from tests.api.helpers import Api, assert_problem


class Poisoned(Agencies):
    """The agencies read model with a bug: it fails on any batch holding a poisoned secondment
    (and says so with the official's name, as careless code does); `poison` cleared is the fix."""

    def __init__(self) -> None:
        self.poison: dict[str, str] = {}

    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        for e in events:
            if e.sid in self.poison:
                raise ValueError(f"cannot place {self.poison[e.sid]}")
        super().apply(tx, t, events)


@pytest.fixture
def world(store: Settings) -> Iterator[tuple[SecondmentRegistry, ReadStore, Settings]]:
    app = open_registry(store)
    read = open_store(store)
    ReadModels(read).setup(app)
    yield app, read, store
    read.close()
    app.close()


def runner(app: SecondmentRegistry, read: ReadStore, model: Agencies) -> Runner:
    models = [model if m.name == "agencies" else m for m in MODELS]
    return Runner(app, read, models, drop_grace=0, poll=0.05, batch_size=3)


def poisoned_history(app: SecondmentRegistry, model: Poisoned) -> int:
    """Two healthy secondments, then a poisoned one, then another healthy one; returns the
    position of the poisoned secondment's first event."""
    builders.deployed(app)
    builders.approved(app)
    bad = builders.request(app, builders.official(full_name="Lò Văn Độc"))
    model.poison[str(bad.secondment.id)] = "Lò Văn Độc"
    builders.deployed(app)
    return bad.position


def cli(settings: Settings, *args: str) -> str:
    env = {**os.environ, "SECONDMENTS_DATA_DIR": str(settings.data_dir)}
    if settings.database_url:
        env["SECONDMENTS_DATABASE_URL"] = settings.database_url
        env["SECONDMENTS_DB_SCHEMA"] = settings.db_schema or "public"
    command = [str(Path(sys.executable).with_name("secondments")), *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


def states(read: ReadStore, at_head: int) -> dict[str, Any]:
    return {s.name: s for s in ReadModels(read).status(at_head)}


def test_a_failing_model_is_quarantined_and_the_others_go_on(
    world: Any, caplog: pytest.LogCaptureFixture
) -> None:
    app, read, settings = world
    model = Poisoned()
    poisoned_at = poisoned_history(app, model)
    at_head = head(app)
    with caplog.at_level(logging.ERROR, "secondments.projections"):
        runner(app, read, model).catch_up(timeout=30)
    found = states(read, at_head)
    agencies = found.pop("agencies")
    assert (agencies.state, agencies.error) == ("quarantined", "ValueError")
    assert agencies.position < poisoned_at
    assert {s.name: (s.state, s.position) for s in found.values()} == {
        m.name: ("live", at_head) for m in MODELS if m.name != "agencies"
    }
    [record] = [r for r in caplog.records if "quarantined" in r.getMessage()]
    record.exc_text = None  # as the processes' only handler formats it
    logged = RedactingFormatter().format(record)
    assert "agencies" in logged and "ValueError" in logged and "Độc" not in logged
    said = json.loads(cli(settings, "projections", "status", "--json"))
    assert {s["name"]: (s["state"], s["error"]) for s in said}["agencies"] == (
        "quarantined",
        "ValueError",
    )
    assert ReadModels(read).wait(at_head, 0.2, ["secondments", "audit"])
    assert not ReadModels(read).wait(at_head, 0.2, ["agencies"])

    off = settings.model_copy(update={"run_projections": False, "min_position_timeout": 0.3})
    with TestClient(create_app(off), raise_server_exceptions=False) as client:
        api = Api(client, off)
        shown = {s["name"]: s for s in api.get("/v1/projections", "admin").json()["items"]}
        assert (shown["agencies"]["state"], shown["agencies"]["error"]) == (
            "quarantined",
            "ValueError",
        )
        assert shown["secondments"]["state"] == "live" and shown["secondments"]["error"] is None
        listed = api.get(f"/v1/secondments?min_position={at_head}", "ministry")
        assert listed.status_code == 200 and len(listed.json()["items"]) == 4
        report = api.get(f"/v1/reports/communes?min_position={at_head}", "ministry")
        assert report.status_code == 200
        behind = api.get(f"/v1/reports/agencies?min_position={at_head}", "ministry")
        assert "agencies" in assert_problem(behind, 503)["detail"]
        assert behind.headers["Retry-After"]


def test_a_restart_releases_a_quarantined_model(world: Any) -> None:
    app, read, _ = world
    model = Poisoned()
    poisoned_history(app, model)
    runner(app, read, model).catch_up(timeout=30)
    assert states(read, head(app))["agencies"].state == "quarantined"
    model.poison.clear()  # the fix is deployed; the worker restarts
    runner(app, read, model).catch_up(timeout=30)
    agencies = states(read, head(app))["agencies"]
    assert (agencies.state, agencies.error, agencies.position) == ("live", None, head(app))


def test_a_rebuild_replaces_a_quarantined_model(world: Any) -> None:
    app, read, _ = world
    model = Poisoned()
    poisoned_history(app, model)
    running = runner(app, read, model)
    while running.step():
        pass
    assert states(read, head(app))["agencies"].state == "quarantined"
    models = ReadModels(read)
    failed = models.request_rebuild("agencies")
    while running.step():
        pass
    status = states(read, head(app))["agencies"]
    assert status.rebuilding is not None
    assert (status.rebuilding["version"], status.rebuilding["error"]) == (failed, "ValueError")
    model.poison.clear()
    fresh = models.request_rebuild("agencies")
    assert fresh > failed
    while running.step() or running._building():
        pass
    agencies = states(read, head(app))["agencies"]
    assert (agencies.state, agencies.version, agencies.position) == ("live", fresh, head(app))
    with read.read() as tx:
        every = versions.all_versions(tx, read)
    assert not [v for v in every if v.name == "agencies" and v.error]


def test_a_new_model_on_a_log_with_events_is_building_and_its_queries_answer_503(
    store: Settings,
) -> None:
    app = open_registry(store)
    builders.deployed(app)
    at_head = head(app)
    read = open_store(store)
    try:
        ReadModels(read).setup(app)
        assert {s.state for s in ReadModels(read).status(at_head)} == {"building"}
        off = store.model_copy(update={"run_projections": False})
        with TestClient(create_app(off), raise_server_exceptions=False) as client:
            api = Api(client, off)
            building = api.get("/v1/reports/agencies", "ministry")
            body = assert_problem(building, 503)
            assert "agencies" in body["detail"] and building.headers["Retry-After"]
            Runner(app, read, drop_grace=0).catch_up(timeout=30)
            assert api.get("/v1/reports/agencies", "ministry").status_code == 200
        assert {s.state for s in ReadModels(read).status(at_head)} == {"live"}
    finally:
        read.close()
        app.close()


BEFORE_QUARANTINE = (
    "name TEXT NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL, "
    "position BIGINT NOT NULL, revision INTEGER NOT NULL, started_at TEXT NOT NULL, "
    "updated_at TEXT, switched_at TEXT, PRIMARY KEY (name, version)"
)


def test_a_registry_made_before_quarantine_gains_its_column_and_runs(store: Settings) -> None:
    app = open_registry(store)
    read = open_store(store)
    try:
        with read.write() as tx:
            tx.execute(f"CREATE TABLE {registry_table(read)} ({BEFORE_QUARANTINE})")
            for m in MODELS:
                for statement in m.ddl(read, 1):
                    tx.execute(statement)
                tx.execute(
                    f"INSERT INTO {registry_table(read)} VALUES (?, 1, 'live', 0, ?, 'then', "
                    "NULL, NULL)",
                    (m.name, m.revision),
                )
        builders.deployed(app)
        Runner(app, read, drop_grace=0).catch_up(timeout=30)
        found = ReadModels(read).status(head(app))
        assert {(s.state, s.version, s.error, s.position) for s in found} == {
            ("live", 1, None, head(app))
        }
    finally:
        read.close()
        app.close()
