"""Appends without the table lock on PostgreSQL: many writer processes append at once, some
transactions roll back (ids burnt by conflicts), a writer is killed while its insert is open,
and yet every follower sees every committed event exactly once, in id order, and every read
model ends equal to a clean rebuild."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent

from api.settings import Settings, open_registry
from domain.errors import DomainError
from domain.values import Field
from projections.catalog import ReadModels
from projections.eventlog import ConcurrentRecorder, SettledLog
from projections.store import open_store
from tests import builders
from tests.integration.test_projections import dump, rebuild_all, runner
from tests.integration.test_projections_workers import until

WRITERS = 4
COMMANDS = 40


def settings_from_env() -> Settings:
    return Settings(
        data_dir=os.environ["APPENDS_DATA_DIR"],
        database_url=os.environ["APPENDS_URL"],
        db_schema=os.environ["APPENDS_SCHEMA"],
    )


def ready() -> Any:
    """Opens the application (its start takes locks on the tables), says so, and waits for
    the go on stdin."""
    app = open_registry(settings_from_env())
    print("ready", flush=True)
    sys.stdin.readline()
    return app


def write(shared: list[str], commands: int) -> None:
    """A writer process: difficulties on shared secondments (conflicts burn ids), and requests."""
    app = ready()
    try:
        for n in range(commands):
            sid = uuid.UUID(shared[n % len(shared)])
            with contextlib.suppress(DomainError):  # a conflict burns the ids it took
                app.raise_difficulty(sid, builders.meta(), f"Khó khăn {n}", "", Field.JUSTICE)
            if n % 5 == 0:
                builders.request(app)
    finally:
        app.close()


def hold_an_insert(originator: str) -> None:
    """A writer process that blocks inside its insert (another transaction holds the key) with
    a notification id taken, until it is killed."""
    app = ready()
    app.recorder.insert_events([StoredEvent(uuid.UUID(originator), 1, "x:y", b"")])


def child(store: Settings, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "APPENDS_DATA_DIR": str(store.data_dir),
        "APPENDS_URL": store.database_url or "",
        "APPENDS_SCHEMA": store.db_schema or "public",
    }
    command = [sys.executable, "-m", "tests.integration.test_concurrent_appends", *args]
    started = subprocess.Popen(
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert started.stdout is not None and started.stdout.readline().strip() == "ready"
    return started


def go(*children: subprocess.Popen[str]) -> None:
    for c in children:
        assert c.stdin is not None
        c.stdin.write("go\n")
        c.stdin.flush()


def waiting_on_a_key(store: Settings) -> bool:
    """Whether a session of this database waits for another transaction (a key it inserts)."""
    with psycopg.connect(store.database_url or "", autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND wait_event = 'transactionid'"
        ).fetchone()
        return bool(row and row[0])


class Follower:
    """Follows the log as a subscriber would, recording every id it is handed."""

    def __init__(self, recorder: ConcurrentRecorder) -> None:
        self.log = SettledLog(recorder)
        self.seen: list[int] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    @property
    def position(self) -> int:
        return self.seen[-1] if self.seen else 0

    def run(self) -> None:
        while not self.stopping.is_set():
            found = self.log.select(self.position, 50)
            self.seen += [n.id for n in found]
            if not found:
                self.stopping.wait(0.01)


@pytest.fixture
def world(pg_store: Settings) -> Iterator[tuple[Any, Any, Settings]]:
    app = open_registry(pg_store)
    read = open_store(pg_store)
    ReadModels(read).setup(app)
    yield app, read, pg_store
    read.close()
    app.close()


def events_table(app: Any) -> str:
    recorder = app.recorder
    return f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'


def committed_ids(store: Settings, app: Any) -> list[int]:
    with psycopg.connect(store.database_url or "", autocommit=True) as conn:
        rows = conn.execute(f"SELECT notification_id FROM {events_table(app)} ORDER BY 1")
        return [r[0] for r in rows.fetchall()]


def secondment_ids(store: Settings, app: Any) -> list[int]:
    with psycopg.connect(store.database_url or "", autocommit=True) as conn:
        rows = conn.execute(
            f"SELECT notification_id FROM {events_table(app)} "
            "WHERE topic LIKE '%:Secondment.%' ORDER BY 1"
        )
        return [r[0] for r in rows.fetchall()]


def open_insert(store: Settings, app: Any, originator: str) -> tuple[psycopg.Connection[Any], int]:
    """An uncommitted append and its id."""
    conn = psycopg.connect(store.database_url or "")
    row = conn.execute(
        f"INSERT INTO {events_table(app)} (originator_id, originator_version, topic, state) "
        "VALUES (%s, 1, 'x:y', '') RETURNING notification_id",
        (originator,),
    ).fetchone()
    assert row is not None
    return conn, int(row[0])


def test_an_append_does_not_wait_for_another_open_append(world: Any) -> None:
    app, read, store = world
    conn, held = open_insert(store, app, str(uuid.uuid4()))
    began = time.monotonic()
    try:
        after = builders.request(app).position
        took = time.monotonic() - began
        follower = runner(app, read)
        follower.step()
        assert max(ReadModels(read).positions().values()) < held < after
    finally:
        conn.rollback()
        conn.close()
    assert took < 2, "the append waited for the open one (a table lock)"
    follower.catch_up(timeout=30)
    assert min(ReadModels(read).positions().values()) == after


def test_every_committed_event_exactly_once_with_writers_rollbacks_and_a_kill(world: Any) -> None:
    app, read, store = world
    shared = [str(builders.deployed(app).secondment.id) for _ in range(3)]
    follower = Follower(app.recorder)
    live = runner(app, read)
    live.start()
    follower.thread.start()
    originator = str(uuid.uuid4())
    stuck = child(store, "hold", originator)
    writers = [child(store, "write", str(COMMANDS), *shared) for _ in range(WRITERS)]
    blocker, held = open_insert(store, app, originator)
    try:
        go(stuck)
        until(lambda: waiting_on_a_key(store), timeout=30)
        go(*writers)
        assert all(w.wait(180) == 0 for w in writers)
        time.sleep(0.5)
        assert follower.position < held, "the follower passed an id that may still commit"
        assert max(ReadModels(read).positions().values()) < held
    finally:
        stuck.send_signal(signal.SIGKILL)
        stuck.wait(10)
        blocker.rollback()
        blocker.close()
    ids = committed_ids(store, app)
    until(lambda: follower.position == ids[-1], timeout=60)
    until(lambda: min(ReadModels(read).positions().values()) == ids[-1], timeout=60)
    follower.stopping.set()
    live.stop()
    assert follower.seen == ids
    assert ids[-1] - ids[0] + 1 > len(ids), "no id was burnt: the test proves nothing"
    incremental = dump(read)
    rebuild_all(app, read)
    assert dump(read) == incremental
    audited = [row["position"] for row in incremental["audit."]]
    assert audited == secondment_ids(store, app), "the audit lost or repeated an event"


if __name__ == "__main__":
    if sys.argv[1] == "hold":
        hold_an_insert(sys.argv[2])
    else:
        write(sys.argv[3:], int(sys.argv[2]))
