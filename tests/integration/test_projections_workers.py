"""The worker as a real process: killed in the middle of catching up it resumes and ends equal to
a clean rebuild; two workers on one PostgreSQL database share nothing but a standby."""

from __future__ import annotations

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
from projections.catalog import ReadModels, head
from projections.store import open_store
from tests import builders
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
    ReadModels(read).setup()
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


def advisory_holders(settings: Settings) -> set[str]:
    """The projection workers holding read-model locks in this test's database (the server is
    shared with other test sessions, whose workers must not count)."""
    with psycopg.connect(settings.database_url or "", autocommit=True) as conn:
        rows = conn.execute(
            "SELECT DISTINCT a.application_name FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database() "
            "AND a.application_name LIKE 'secondments-projections-%'"
        ).fetchall()
    return {r[0] for r in rows}


def test_two_workers_one_runs_the_other_takes_over(pg_store: Settings) -> None:
    app = open_registry(pg_store)
    read = open_store(pg_store)
    ReadModels(read).setup()
    a = worker(pg_store)
    b: subprocess.Popen[bytes] | None = None
    try:
        generator.load(app, 300, seed=5)
        until(lambda: min(positions(read).values()) == head(app))
        b = worker(pg_store)
        time.sleep(2)
        holders = advisory_holders(pg_store)
        assert holders == {f"secondments-projections-{a.pid}"}
        builders.deployed(app)
        until(lambda: min(positions(read).values()) == head(app), timeout=10)
        a.send_signal(signal.SIGKILL)
        a.wait(10)
        builders.deployed(app)
        until(lambda: min(positions(read).values()) == head(app), timeout=20)
        assert advisory_holders(pg_store) == {f"secondments-projections-{b.pid}"}
    finally:
        for p in (a, b):
            if p is not None:
                p.kill()
                p.wait(10)
        read.close()
        app.close()
