"""The projection runner: reads the log in batches and applies them to every version it holds.

- Each batch of a read-model version is applied in one transaction that first advances the
  version's position by compare-and-set, then updates the view: exactly once. The versions at
  the same position share the decoded batch and one transaction, each in a savepoint.
- It holds a lock per read model (PostgreSQL advisory lock, SQLite file lock); a second runner
  waits as standby and takes over when the holder dies.
- A rebuild is a `building` version beside the live one: the runner fills it from the start of
  the log, and when it has caught up switches reads to it in one transaction; the retired
  tables are dropped after a grace period.
- A version whose batch fails (anything but the database being unavailable) is quarantined: its
  position stays before the failing batch, the error's type is recorded and logged (the stack,
  never the message: it may quote personal data), and the other versions go on. Taking a
  model's lock (a runner's start, a standby's takeover) releases its quarantine and tries again;
  a rebuild replaces a quarantined version.
- It waits for new events with PostgreSQL LISTEN/NOTIFY (polling if that connection drops), or
  by polling on SQLite.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

from projections import eventlog, versions
from projections.base import ReadModel, Tables
from projections.catalog import DECODED, MODELS, Log, head
from projections.decoding import decode
from projections.erasure import erase, erased_ids
from projections.store import ReadStore, Tx
from projections.versions import BUILDING, LIVE, RETIRED, Version

log = logging.getLogger("secondments.projections")


class LostRace(Exception):
    """Raised when another runner advanced a version first: the batch is rolled back."""


class Waiter:
    """Waits for new events: LISTEN/NOTIFY on PostgreSQL, else a sleep of `poll` seconds."""

    def __init__(
        self, channel: str | None, conninfo: str | None, stopping: threading.Event, poll: float
    ) -> None:
        self.channel = channel if conninfo else None
        self.conninfo = conninfo
        self.stopping = stopping
        self.poll = poll
        self.conn: Any = None
        self.retry_at = 0.0

    def wait(self) -> None:
        if self.channel is None or not self._listening():
            self.stopping.wait(self.poll)
            return
        try:
            for _ in self.conn.notifies(timeout=min(self.poll * 5, 1.0), stop_after=1):
                pass
        except Exception:
            log.warning("lost the LISTEN connection; polling until it is back")
            self.close()
            self.retry_at = time.monotonic() + 5

    def _listening(self) -> bool:
        if self.conn is not None:
            return True
        if time.monotonic() < self.retry_at:
            return False
        import psycopg
        from psycopg import sql

        try:
            self.conn = psycopg.connect(self.conninfo or "", autocommit=True, connect_timeout=5)
            self.conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel or "")))
        except Exception:
            self.close()
            self.retry_at = time.monotonic() + 5
            return False
        return True

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.close()
            self.conn = None


class Runner:
    """Runs read models from the log; `run_forever` in a worker, `start`/`stop` in a thread."""

    def __init__(
        self,
        log_: Log,
        store: ReadStore,
        models: Sequence[ReadModel] = MODELS,
        *,
        batch_size: int = 500,
        rebuild_batch_size: int | None = None,
        poll: float = 0.2,
        standby_retry: float = 1.0,
        drop_grace: float = 5.0,
        gather: float = 0.0,
    ) -> None:
        self.log = log_
        self.store = store
        self.models = list(models)
        self.by_name = {m.name: m for m in self.models}
        self.batch_size = batch_size
        self.rebuild_batch_size = rebuild_batch_size or batch_size
        """Events per transaction of a version being rebuilt (larger: fewer round trips, and
        a row changed by several events of a batch is written once)."""
        self.poll = poll
        self.gather = gather
        """Seconds to wait after a batch that was not full before reading the next, so that
        under a stream of commands one transaction carries many events (0: none)."""
        self.standby_retry = standby_retry
        self.drop_grace = drop_grace
        self.locks = store.locks()
        self.reader = eventlog.reader(log_.recorder)
        self.held: set[str] = set()
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        self.claimed_at = 0.0
        self.failures = 0

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Runs in a background thread (the API's embedded mode)."""
        self.thread = threading.Thread(target=self.run_forever, name="projections", daemon=True)
        self.thread.start()

    def stop(self, timeout: float = 10) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout)
            self.thread = None

    def run_forever(self) -> None:
        versions.setup(self.store, self.models, head(self.log))
        channel = getattr(self.log.recorder, "channel_name", None)
        waiter = Waiter(channel, getattr(self.store, "conninfo", None), self.stopping, self.poll)
        try:
            while not self.stopping.is_set():
                read = self._guarded_step()
                if read == 0:
                    waiter.wait()
                elif read < self.batch_size and self.gather:
                    self.stopping.wait(self.gather)
        finally:
            waiter.close()
            self.locks.release()
            self.held = set()

    def catch_up(self, timeout: float = 120) -> None:
        """Processes until every held model (and any rebuild) is at the head of the log."""
        target = head(self.log)
        versions.setup(self.store, self.models, target)
        deadline = time.monotonic() + timeout
        try:
            while self.step() or self._building() or self._behind(target):
                if time.monotonic() > deadline:
                    raise TimeoutError("the read models did not catch up in time")
            self.drop_retired(force=not self.drop_grace)
        finally:
            self.locks.release()
            self.held = set()

    # -- one step ------------------------------------------------------------------------------

    def claim(self) -> set[str]:
        """Takes the locks of models nobody holds; notices locks lost."""
        if time.monotonic() - self.claimed_at >= self.standby_retry or not self.held:
            self.claimed_at = time.monotonic()
            for model in self.models:
                if model.name not in self.held and self.locks.try_acquire(model.name):
                    log.info("running read model %s", model.name)
                    for v in versions.release(self.store, model.name):
                        log.warning(
                            "read model %s v%d: retrying after %s", v.name, v.version, v.error
                        )
            held = self.locks.held()
            for name in self.held - held:
                log.warning("lost the lock of read model %s", name)
            self.held = held
        return self.held

    def _guarded_step(self) -> int:
        try:
            done = self.step()
        except Exception:
            self.failures += 1
            log.exception("projection step failed (%d in a row); retrying", self.failures)
            self.stopping.wait(min(0.2 * 2**self.failures, 5))
            return 0
        self.failures = 0
        return done

    def _versions(self) -> list[Version]:
        held = self.claim()
        with self.store.read() as tx:
            every = versions.all_versions(tx, self.store)
        return [v for v in every if v.name in held and v.status in (LIVE, BUILDING) and not v.error]

    def _behind(self, target: int) -> bool:
        """Whether a held version is still before `target` (waiting for a gap to settle)."""
        behind = any(v.position < target for v in self._versions())
        if behind:
            self.stopping.wait(self.poll / 4)
        return behind

    def _building(self) -> bool:
        return any(v.status == BUILDING for v in self._versions())

    def step(self) -> int:
        """Applies the next batch to each held version; returns how many log entries it read."""
        mine = self._versions()
        by_position: dict[int, list[Version]] = {}
        for v in mine:
            by_position.setdefault(v.position, []).append(v)
        read = 0
        for position, group in sorted(by_position.items()):
            rebuilding = any(v.status == BUILDING for v in group)
            size = self.rebuild_batch_size if rebuilding else self.batch_size
            notifications = self.reader.select(position, size)
            if not notifications:
                continue
            events = decode(self.log, notifications, DECODED)
            last = int(notifications[-1].id)
            self.apply_group(group, events, last)
            read += len(notifications)
        self._switch_caught_up()
        self.drop_retired()
        return read

    def apply_group(self, group: Sequence[Version], events: Sequence[Any], last: int) -> None:
        """Applies a decoded batch to versions at the same position in one transaction (one
        commit for all, not one per read model), each version inside a savepoint of its own:
        a version whose batch fails is rolled back alone and quarantined, the others commit."""
        erased = erased_ids(events)
        failed: list[tuple[Version, Exception]] = []
        with self.store.write() as tx:
            for v in group:
                try:
                    with tx.savepoint():
                        self._apply(tx, v, events, last, erased)
                except LostRace:
                    log.warning("%s v%d was advanced by another runner", v.name, v.version)
                except Exception as e:
                    if self.store.unavailable(e):
                        raise
                    failed.append((v, e))
        if erased:
            self.store.checkpoint()
            self.log.keyring.forget()
        for v, error in failed:
            self.quarantine(v, error)

    def _apply(
        self, tx: Tx, v: Version, events: Sequence[Any], last: int, erased: Sequence[str]
    ) -> None:
        if not versions.advance(tx, self.store, v, last):
            raise LostRace(v.name)
        model = self.by_name[v.name]
        tables = Tables(self.store, model.name, v.version)
        model.apply(tx, tables, [e for e in events if e.aggregate in model.reads])
        erase(tx, model, tables, erased)

    def quarantine(self, v: Version, error: Exception) -> None:
        """Stops one version where it is; the others go on."""
        kind = type(error).__name__
        with self.store.write() as tx:
            versions.quarantine(tx, self.store, v, kind)
        log.error(
            "read model %s v%d quarantined after position %d: %s",
            v.name,
            v.version,
            v.position,
            kind,
            exc_info=error,
        )

    def _switch_caught_up(self) -> None:
        building = [v for v in self._versions() if v.status == BUILDING]
        if not building:
            return
        at_head = head(self.log)
        for v in building:
            if v.position < at_head:
                continue
            with self.store.write() as tx:
                versions.switch(tx, self.store, self.by_name[v.name], v)
            log.info("read model %s: version %d is live", v.name, v.version)
            self.dropped_at = 0.0

    dropped_at = 0.0

    def drop_retired(self, force: bool = False) -> None:
        if not force and time.monotonic() - self.dropped_at < max(self.drop_grace / 2, 0.5):
            return
        self.dropped_at = time.monotonic()
        grace = 0.0 if force else self.drop_grace
        with self.store.read() as tx:
            retired = {v.name for v in versions.all_versions(tx, self.store) if v.status == RETIRED}
        for name in retired & self.held:
            versions.drop_retired(self.store, self.by_name[name], grace)
