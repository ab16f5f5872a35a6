"""The worker as a real process: killed in the middle of catching up it resumes and ends equal to
a clean rebuild; two workers on one PostgreSQL database share nothing but a standby."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from api.settings import Settings, open_registry
from projections.catalog import MODELS, ReadModels, head
from projections.store import open_store
from tests import builders, pgserver
from tests.bench import generator
from tests.integration.test_projections import dump, rebuild_all

WORKER = str(Path(sys.executable).with_name("secondments"))


def worker(settings: Settings, batch_size: int = 500) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SECONDMENTS_DATA_DIR": str(settings.data_dir),
        "SECONDMENTS_PROJECTION_BATCH_SIZE": str(batch_size),
        "SECONDMENTS_PROJECTION_POLL_SECONDS": "0.05",
        "SECONDMENTS_LOG_LEVEL": "WARNING",
    }
    if settings.database_url:
        env["SECONDMENTS_DATABASE_URL"] = settings.database_url
        env["SECONDMENTS_DB_SCHEMA"] = settings.db_schema or "public"
    return subprocess.Popen([WORKER, "worker"], env=env)


def until(condition: Callable[[], bool], timeout: float = 30, every: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(every)


@pytest.fixture
def world(store: Settings) -> Iterator[tuple[Any, Any, Settings]]:
    app = open_registry(store)
    read = open_store(store)
    ReadModels(read).setup(app)
    yield app, read, store
    read.close()
    app.close()


def positions(read: Any) -> dict[str, int]:
    return ReadModels(read).positions()


def test_a_killed_worker_resumes_and_ends_equal_to_a_clean_rebuild(world: Any) -> None:
    app, read, settings = world
    generator.load(app, 4000, seed=21)
    at_head = head(app)
    first = worker(settings, batch_size=1)  # slow on purpose: it must be caught mid-way
    try:
        until(lambda: min(positions(read).values()) > 0, timeout=60, every=0.01)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
    halfway = positions(read)
    assert min(halfway.values()) < at_head, "the worker finished before it was killed"
    builders.deployed(app)
    second = worker(settings)
    try:
        until(lambda: min(positions(read).values()) == head(app), timeout=60)
        second.send_signal(signal.SIGTERM)
        assert second.wait(20) == 0
    finally:
        second.kill()
    recovered = dump(read)
    rebuild_all(app, read)
    assert dump(read) == recovered


def advisory_holders(settings: Settings, read: Any) -> set[str]:
    """The processes holding this store's read-model locks: only its own keys (the namespace of
    its schema), only in its own database; other programs' advisory locks on the server are not
    counted."""
    locks = read.locks()
    keys = [locks.key(m.name) for m in MODELS]
    halves = [(k >> 32 & 0xFFFFFFFF, k & 0xFFFFFFFF) for k in keys]
    with psycopg.connect(settings.database_url or "", autocommit=True) as conn:
        rows = conn.execute(
            "SELECT DISTINCT a.application_name FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND (l.classid::bigint, l.objid::bigint) IN (SELECT * FROM unnest(%s::bigint[], "
            "%s::bigint[]))",
            ([c for c, _ in halves], [o for _, o in halves]),
        ).fetchall()
    return {r[0] for r in rows}


@pytest.fixture
def foreign_locks(pg_store: Settings) -> Iterator[None]:
    """Other programs on the same server holding advisory locks while the test runs, under the
    name our workers use: unrelated keys and the keys another deployment of this product (in
    the default schema) would hold, in our database; and the very keys of our own read models,
    in another database of the server (PostgreSQL keeps advisory locks per database)."""
    from projections.store import PostgresAdvisoryLocks

    url = pg_store.database_url or ""
    read = open_store(pg_store)
    ours = read.locks()
    read.close()
    other = PostgresAdvisoryLocks(url, "public.rm_")
    held = {
        url: [12345, -1, *(other.key(m.name) for m in MODELS)],
        pgserver.admin_url(): [ours.key(m.name) for m in MODELS],  # type: ignore[attr-defined]
    }
    with contextlib.ExitStack() as stack:
        for database, keys in held.items():
            conn = stack.enter_context(
                psycopg.connect(
                    database, autocommit=True, application_name="secondments-projections-1"
                )
            )
            for key in keys:
                conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        yield


def test_two_workers_one_runs_the_other_takes_over(pg_store: Settings, foreign_locks: None) -> None:
    app = open_registry(pg_store)
    read = open_store(pg_store)
    ReadModels(read).setup(app)
    a = worker(pg_store)
    b: subprocess.Popen[bytes] | None = None
    try:
        generator.load(app, 300, seed=5)
        until(lambda: min(positions(read).values()) == head(app))
        b = worker(pg_store)
        time.sleep(2)
        holders = advisory_holders(pg_store, read)
        assert holders == {f"secondments-projections-{a.pid}"}
        builders.deployed(app)
        until(lambda: min(positions(read).values()) == head(app), timeout=10)
        a.send_signal(signal.SIGKILL)
        a.wait(10)
        builders.deployed(app)
        until(lambda: min(positions(read).values()) == head(app), timeout=20)
        assert advisory_holders(pg_store, read) == {f"secondments-projections-{b.pid}"}
    finally:
        for p in (a, b):
            if p is not None:
                p.kill()
                p.wait(10)
        read.close()
        app.close()
