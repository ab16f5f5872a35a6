"""`secondments timers`: record overdue reports, handovers due, expired terms and returns still
missing after the end as events, and purge the stored idempotent responses older than
SECONDMENTS_IDEMPOTENCY_TTL_HOURS.

Each pass asks the `deadlines` read model which secondments are active and the `returns` read
model which ended ones have no return recorded, then lets the
application decide from each authoritative record what has fallen due at that moment. Recording
is idempotent by construction (deterministic command ids), so passes may repeat and several
timers may run side by side without recording anything twice.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from typing import TYPE_CHECKING, Any
from uuid import UUID

if TYPE_CHECKING:
    from api.settings import Settings
    from domain.application import SecondmentRegistry
    from domain.deadlines import Cadence
    from domain.values import Kind
    from projections.store import ReadStore

log = logging.getLogger("secondments.timers")
PAGE = 500


@dataclass(frozen=True)
class Pass:
    """What one pass looked at and recorded, by event type."""

    at: datetime
    checked: int
    recorded: Counter[str]

    def line(self) -> str:
        found = ", ".join(f"{name} {count}" for name, count in sorted(self.recorded.items()))
        return f"{self.at.isoformat()}: checked {self.checked}, recorded {found or 'nothing'}"


def cadences(settings: Settings) -> Callable[[Kind], Cadence]:
    """The reporting cadence of each kind of secondment, from the settings."""
    return lambda kind: settings.cadence(kind.value)


def _ids(fetch: Callable[[tuple[str, int] | None], Any]) -> Iterator[UUID]:
    """The secondment ids of every page a view's query gives (cursor: end day and seq)."""
    after = None
    while True:
        page = fetch(after)
        yield from (UUID(item["secondment_id"]) for item in page.items)
        if page.after is None:
            return
        after = (page.after["end"], page.after["seq"])


def active_ids(store: ReadStore) -> Iterator[UUID]:
    """Every active secondment in the `deadlines` read model, soonest end first."""
    from projections.base import Scope
    from projections.deadlines import DeadlinesView

    view = DeadlinesView(store)
    return _ids(lambda after: view.ending(Scope(), date.max, False, after, PAGE))


def unreturned_ids(store: ReadStore) -> Iterator[UUID]:
    """Every ended secondment in the `returns` read model with no return recorded."""
    from projections.base import Scope
    from projections.returns import ReturnsView

    view = ReturnsView(store)
    return _ids(lambda after: view.missing(Scope(), after, PAGE))


def run_pass(
    registry: SecondmentRegistry,
    store: ReadStore,
    now: datetime,
    cadence_for: Callable[[Kind], Cadence],
) -> Pass:
    """Records every deadline missed at `now` for the active secondments and the ended ones
    still waiting for their official's return (each record is loaded once; the deadlines it
    already holds are not recorded again)."""
    from api import metrics

    recorded: Counter[str] = Counter()
    checked = 0
    for secondment_id in chain(active_ids(store), unreturned_ids(store)):
        checked += 1
        for r in registry.record_due(secondment_id, now, cadence_for):
            recorded[r.event_type] += 1
            metrics.FLAGS.labels(r.event_type).inc()
    metrics.TIMER_PASSES.labels("ok").inc()
    return Pass(now, checked, recorded)


def purge_replays(registry: SecondmentRegistry, settings: Settings, now: datetime) -> int:
    """Deletes the expired stored idempotent responses; how many."""
    from api.idempotency import IdempotencyStore
    from api.settings import schema_lock
    from api.storage import Database

    replays = IdempotencyStore(Database(registry), settings.idempotency_ttl_hours)
    with schema_lock(settings):
        replays.create_table()  # the timers may start before any API process
    return replays.purge(now)


class Timer:
    """Runs a pass every `interval` seconds on the real clock until stopped."""

    def __init__(self, registry: SecondmentRegistry, store: ReadStore, settings: Settings) -> None:
        self.registry, self.store, self.settings = registry, store, settings
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run_forever, name="timers", daemon=True)

    def run_forever(self) -> None:
        from api import metrics
        from domain.application import utc_now

        cadence_for = cadences(self.settings)
        while not self.stopping.wait(self.settings.timer_interval_seconds):
            try:
                now = utc_now()
                done = run_pass(self.registry, self.store, now, cadence_for)
                log.info("timers: %s", done.line())
                purged = purge_replays(self.registry, self.settings, now)
                log.info("timers: purged %d expired idempotent responses", purged)
            except Exception:
                metrics.TIMER_PASSES.labels("failed").inc()
                log.exception("timers: the pass failed; the next one retries")

    def start(self) -> Timer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=30)


@contextmanager
def embedded(app: Any) -> Iterator[None]:
    """A lifespan hook: the timers in the API process (the embedded default)."""
    timer = Timer(app.state.registry, app.state.read_store, app.state.settings).start()
    try:
        yield
    finally:
        timer.stop()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--once", action="store_true", help="run one pass and exit")
    parser.add_argument("--now", help="moment of the pass, RFC 3339 with an offset (default: now)")
    parser.add_argument(
        "--metrics-port", type=int, help="serve the timers' metrics on this port (Prometheus)"
    )


def run(args: argparse.Namespace) -> int:
    from api import logs
    from api.settings import get_settings, open_registry
    from domain.application import utc_now
    from projections.catalog import ReadModels
    from projections.store import open_store

    settings = get_settings()
    logs.configure(settings.log_level)  # tracebacks without exception messages
    now = _moment(args.now) if args.now else None
    registry = open_registry(settings)
    store = open_store(settings)
    ReadModels(store).setup(registry)
    try:
        if args.once:
            catch_up = _catch_up(registry, store, settings)
            catch_up()
            at = now or utc_now()
            done = run_pass(registry, store, at, cadences(settings))
            print(f"purged {purge_replays(registry, settings, at)} expired idempotent responses")
            print(done.line())
            catch_up()
            return 0
        if args.metrics_port:
            from api import metrics

            metrics.start_exporter(args.metrics_port, settings.metrics_host, registry, store)
        timer = Timer(registry, store, settings)
        signal.signal(signal.SIGTERM, lambda *_: timer.stopping.set())
        signal.signal(signal.SIGINT, lambda *_: timer.stopping.set())
        timer.run_forever()
        return 0
    finally:
        store.close()
        registry.close()


def _catch_up(
    registry: SecondmentRegistry, store: ReadStore, settings: Settings
) -> Callable[[], None]:
    """In the embedded default nobody else runs the projections: a one-off pass brings them up
    to date before it reads them, and again after, so that what it recorded shows at once."""
    from api.settings import projection_runner

    def catch_up() -> None:
        if settings.runs_projections:
            projection_runner(settings, registry, store).catch_up()

    return catch_up


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise SystemExit("--now needs an offset, e.g. 2026-01-15T09:00:00+07:00")
    return moment
