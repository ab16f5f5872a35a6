"""Bounded resources: the request body, the page size, the database pools (a request that cannot
get a connection fails within seconds with 503), and the time one SQL statement may run."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient

from api import settings as settings_module
from api.app import create_app
from api.routers import readside
from api.settings import Settings
from projections.secondments import SecondmentsView
from tests.api.helpers import Api, assert_problem, secondment_body

SLOW = 10.0
"""Seconds a refused request may take: the bound is ~2 s, the machine is shared."""
LISTS = [
    "/v1/secondments",
    "/v1/audit",
    "/v1/decisions?number=2446/QĐ-UBND",
    "/v1/reports/communes",
    "/v1/reports/agencies",
    "/v1/reports/compliance",
    "/v1/reports/deadlines",
    "/v1/reports/difficulties",
]


TIGHT = {
    "db_pool_size": 1,
    "db_max_overflow": 0,
    "db_connect_timeout": 2,
    "db_statement_timeout": 1,
}


@pytest.fixture
def tight(pg_store: Settings) -> Iterator[Api]:
    """An app on PostgreSQL with one pooled connection, 2 s waits and 1 s statements."""
    settings = pg_store.model_copy(update=TIGHT)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield Api(client, settings)


def _timed(call: Any) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def _assert_unavailable(response: httpx.Response, elapsed: float) -> None:
    assert_problem(response, 503)
    assert int(response.headers["retry-after"]) > 0
    assert elapsed < SLOW, elapsed


def test_an_exhausted_event_store_pool_is_503_within_seconds(tight: Api) -> None:
    sid = tight.create("ministry")["id"]
    pool = tight.registry.recorder.datastore.pool
    held = [pool.getconn() for _ in range(pool.max_size)]
    try:
        body = secondment_body()
        r, took = _timed(
            lambda: tight.client.post(
                "/v1/secondments", json=body, headers=tight.headers("ministry")
            )
        )
        _assert_unavailable(r, took)
        r, took = _timed(lambda: tight.get(f"/v1/secondments/{sid}", "ministry"))
        _assert_unavailable(r, took)
        r, took = _timed(lambda: tight.client.get("/readyz"))
        _assert_unavailable(r, took)
    finally:
        for conn in held:
            pool.putconn(conn)
    assert tight.get(f"/v1/secondments/{sid}", "ministry").status_code == 200
    assert tight.client.get("/readyz").status_code == 200


def test_an_exhausted_read_model_pool_is_503_within_seconds(tight: Api) -> None:
    pool = tight.client.app.state.read_store.pool  # type: ignore[attr-defined]
    held = [pool.getconn() for _ in range(pool.max_size)]
    try:
        r, took = _timed(lambda: tight.get("/v1/secondments", "ministry"))
        _assert_unavailable(r, took)
    finally:
        for conn in held:
            pool.putconn(conn)
    assert tight.get("/v1/secondments", "ministry").status_code == 200


def _statement_timeouts(pool: Any) -> list[str]:
    """The statement timeout of every connection the pool can hand out, all held at once."""
    held = [pool.getconn(timeout=SLOW) for _ in range(pool.max_size)]
    try:
        return [c.execute("SHOW statement_timeout").fetchone()["statement_timeout"] for c in held]
    finally:
        for conn in held:
            pool.putconn(conn)


def _all_carry_the_statement_timeout(api: Api) -> None:
    app: Any = api.client.app
    event_store = api.registry.recorder.datastore.pool
    assert _statement_timeouts(event_store) == ["1s"] * event_store.max_size
    read_store = app.state.read_store.pool
    assert _statement_timeouts(read_store) == ["1s"] * read_store.max_size


def _started_all_carry_the_statement_timeout(pg_store: Settings) -> None:
    """A tight app starts, and then every connection of its pools carries the timeout."""
    settings = pg_store.model_copy(update=TIGHT)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        _all_carry_the_statement_timeout(Api(client, settings))


def _slow_connections(monkeypatch: pytest.MonkeyPatch, which: str) -> threading.Event:
    """Connections of the read store ("read": the first one only) or of every pool ("all")
    take 0.5 s longer to open, as under load; the event is set when the first slow one is
    open (and about to join its pool, with the settings it was opened with)."""
    opened = threading.Event()
    connect = psycopg.Connection.connect

    def slow(cls: Any, conninfo: str = "", **kwargs: Any) -> Any:
        conn = connect.__func__(cls, conninfo, **kwargs)  # type: ignore[attr-defined]
        if which == "all" or (kwargs.get("autocommit") and not opened.is_set()):
            opened.set()
            time.sleep(0.5)
        return conn

    monkeypatch.setattr(psycopg.Connection, "connect", classmethod(slow))
    return opened


def test_every_connection_carries_the_statement_timeout(tight: Api) -> None:
    _all_carry_the_statement_timeout(tight)


def test_a_connection_opened_while_the_timeout_is_set_carries_it(
    pg_store: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under load a pool's first connection can still be opening, with the settings it had
    before the statement timeout was added, when the timeout is set: here it is made so."""
    opened = _slow_connections(monkeypatch, "read")

    def bound_waits(pool: Any, settings: Settings, attempts: int = 1) -> None:
        assert opened.wait(SLOW)
        settings_module.bound_waits(pool, settings, attempts)

    monkeypatch.setattr(readside, "bound_waits", bound_waits)
    _started_all_carry_the_statement_timeout(pg_store)


def test_an_app_starts_while_connections_are_slow_to_open(
    pg_store: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a connection takes longer than the 0.1 s that a caller of the event store waits
    for one here (2 s over the library's ten attempts): the start, which replaces the pools'
    connections, still finds one for the keyring and the read models."""
    _slow_connections(monkeypatch, "all")
    _started_all_carry_the_statement_timeout(pg_store)


def test_a_query_that_runs_too_long_is_cancelled_and_answered_503(
    tight: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow_search(self: SecondmentsView, *args: object) -> None:
        with self.store.read() as tx:
            tx.execute("SELECT pg_sleep(30)")

    monkeypatch.setattr(SecondmentsView, "search", slow_search)
    r, took = _timed(lambda: tight.get("/v1/secondments", "ministry"))
    _assert_unavailable(r, took)
    monkeypatch.undo()
    assert tight.get("/v1/secondments", "ministry").status_code == 200


@pytest.mark.parametrize("path", LISTS)
def test_pages_are_at_most_500(api: Api, path: str) -> None:
    joiner = "&" if "?" in path else "?"
    for limit in (501, 10_000, 0, -1):
        r = api.get(f"{path}{joiner}limit={limit}", "ministry")
        problem = assert_problem(r, 422)
        assert problem["errors"][0]["field"] == "limit"
    found = api.get(f"{path}{joiner}limit=500", "ministry")
    # the store is empty: no decision of that number yet, every list answers
    assert found.status_code == (404 if path.startswith("/v1/decisions") else 200), found.text


def test_the_event_history_pages_are_at_most_500(api: Api) -> None:
    sid = api.create("ministry")["id"]
    assert_problem(api.get(f"/v1/secondments/{sid}/events?limit=501", "ministry"), 422)
    assert api.get(f"/v1/secondments/{sid}/events?limit=500", "ministry").status_code == 200


def test_bodies_over_the_limit_are_413_and_change_nothing(api: Api) -> None:
    limit = api.settings.max_body_bytes
    body = secondment_body(reason="x" * (limit + 1))
    headers = api.headers("ministry")
    r = api.client.post("/v1/secondments", json=body, headers=headers)
    assert_problem(r, 413)

    def chunks() -> Iterator[bytes]:
        for _ in range(limit // 1024 + 2):
            yield b" " * 1024

    streamed = api.client.post(
        "/v1/secondments",
        content=chunks(),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert_problem(streamed, 413)
    lying = api.client.post(
        "/v1/secondments",
        content=b"{}",
        headers={**headers, "Content-Type": "application/json", "Content-Length": "abc"},
    )
    assert_problem(lying, 413)
    assert api.registry.recorder.max_notification_id() in (None, 0)


def test_the_keyring_waits_for_a_connection_as_the_library_does(tight: Api) -> None:
    """With the pool's only connection held for a moment, a personal-key lookup (which runs on
    the event store's pool) waits for it over the library's attempts, as the library's own
    calls do, instead of failing after one attempt's share of the wait (0.1 s here)."""
    sid = tight.create("ministry")["id"]
    pool = tight.registry.recorder.datastore.pool
    held = pool.getconn()
    releaser = threading.Timer(0.8, pool.putconn, args=(held,))
    releaser.start()
    try:
        tight.registry.keyring.forget()
        subject, key = tight.registry.keyring.key_of(UUID(sid))
    finally:
        releaser.join()
    assert subject and key is not None
