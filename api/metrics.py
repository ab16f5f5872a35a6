"""Prometheus metrics: what the API, the timers and the read models are doing.

Counters and histograms live in this process (or, with `PROMETHEUS_MULTIPROC_DIR` set, in files
that every `serve --workers N` process writes and any one of them reads). What the database
knows (each read model's position and lag) is read when the metrics are scraped.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from projections.catalog import ReadModels, head

T = TypeVar("T")
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
MEDIA_TYPE = CONTENT_TYPE_LATEST
POOL_SAMPLE_SECONDS = 1.0

COMMANDS = Histogram(
    "secondments_command_seconds",
    "Time to carry out a state-changing command, by action and outcome",
    ["action", "outcome"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
REQUESTS = Counter(
    "secondments_http_requests",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
IDEMPOTENCY = Counter(
    "secondments_idempotency_hits",
    "Requests whose Idempotency-Key was already used: replayed, or refused (other body)",
    ["result"],
)
TIMER_PASSES = Counter(
    "secondments_timer_passes", "Passes of the deadline timers, by result", ["result"]
)
FLAGS = Counter(
    "secondments_deadline_flags",
    "Deadline events recorded by the timers (ReportOverdue, HandoverDue, TermExpired)",
    ["type"],
)
POOL = Gauge(
    "secondments_db_pool_connections",
    "Database connections of the API processes' pools (summed over live processes)",
    ["pool", "kind"],
    multiprocess_mode="livesum",
)


def outcome_of(error: BaseException | None) -> str:
    """`ok`, or the error's kind in snake case (`illegal_transition`, `http_403`…)."""
    if error is None:
        return "ok"
    status = getattr(error, "status", None)
    if isinstance(status, int):
        return f"http_{status}"
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(error).__name__).lower()


def timed_command(action: str, run: Callable[[], T]) -> T:
    """Runs a command and records how long it took and how it ended."""
    started = time.perf_counter()
    error: BaseException | None = None
    try:
        return run()
    except BaseException as exc:
        error = exc
        raise
    finally:
        COMMANDS.labels(action, outcome_of(error)).observe(time.perf_counter() - started)


def _stats(pool: Any) -> dict[str, int]:
    stats = pool.get_stats()
    size, idle = stats.get("pool_size", 0), stats.get("pool_available", 0)
    return {"open": size, "in_use": size - idle, "waiting": stats.get("requests_waiting", 0)}


class PoolSampler:
    """Copies the pools' usage into the gauge, at most once a second (cheap on every request)."""

    def __init__(self, pools: dict[str, Any]) -> None:
        self.pools = {name: pool for name, pool in pools.items() if hasattr(pool, "get_stats")}
        self.last = 0.0

    def sample(self, force: bool = False) -> None:
        now = time.monotonic()
        if not self.pools or (not force and now - self.last < POOL_SAMPLE_SECONDS):
            return
        self.last = now
        for name, pool in self.pools.items():
            for kind, value in _stats(pool).items():
                POOL.labels(name, kind).set(value)


def pools_of(app_state: Any) -> dict[str, Any]:
    """The PostgreSQL pools of an API process: the event store's and the read models'."""
    datastore = getattr(app_state.registry.recorder, "datastore", None)
    return {
        "events": getattr(datastore, "pool", None),
        "read_models": getattr(app_state.read_store, "pool", None),
    }


def _seconds_since(stamp: str | None) -> float | None:
    if not stamp:
        return None
    return max(time.time() - datetime.fromisoformat(stamp).timestamp(), 0.0)


class ReadModelCollector:
    """Each read model's position, events behind the log's head, seconds since its last
    update and state, read from the database when scraped."""

    def __init__(self, registry: Any, store: Any) -> None:
        self.registry, self.store = registry, store

    def collect(self) -> Iterator[Metric]:
        at_head = head(self.registry)
        found = ReadModels(self.store).status(at_head)
        log = GaugeMetricFamily("secondments_log_head", "Position of the newest recorded event")
        log.add_metric([], at_head)
        position = GaugeMetricFamily(
            "secondments_projection_position", "Last position processed", labels=["model"]
        )
        behind = GaugeMetricFamily(
            "secondments_projection_lag_events", "Events not yet processed", labels=["model"]
        )
        idle = GaugeMetricFamily(
            "secondments_projection_seconds_since_update",
            "Seconds since the read model last advanced",
            labels=["model"],
        )
        state = GaugeMetricFamily(
            "secondments_projection_state",
            "1 for the read model's state",
            labels=["model", "state"],
        )
        for s in found:
            position.add_metric([s.name], s.position)
            behind.add_metric([s.name], s.events_behind)
            since = _seconds_since(s.last_update)
            if since is not None:
                idle.add_metric([s.name], since)
            state.add_metric([s.name, s.state], 1)
        yield from (log, position, behind, idle, state)


def process_registry() -> Any:
    """This process's metrics, or every API process's in multiprocess mode."""
    if not os.environ.get(MULTIPROCESS_DIR):
        return REGISTRY
    gathered = CollectorRegistry()
    multiprocess.MultiProcessCollector(gathered)  # type: ignore[no-untyped-call]
    return gathered


class Everything:
    """The processes' metrics, then the read models' from the database."""

    def __init__(self, registry: Any, store: Any) -> None:
        self.read_models = ReadModelCollector(registry, store)

    def collect(self) -> Iterator[Metric]:
        yield from process_registry().collect()
        yield from self.read_models.collect()


def exposition(registry: Any, store: Any) -> bytes:
    """The text format of everything."""
    return generate_latest(Everything(registry, store))


def start_exporter(port: int, host: str, registry: Any, store: Any) -> None:
    """The same text on a port of its own, without a token, from a daemon thread."""
    start_http_server(port, host, registry=Everything(registry, store))


def prepare_multiprocess(data_dir: Path) -> None:
    """Before `serve --workers N` starts its processes: a fresh directory for their metric files
    (kept where PROMETHEUS_MULTIPROC_DIR points, else `<data_dir>/metrics`)."""
    where = Path(os.environ.get(MULTIPROCESS_DIR) or data_dir / "metrics")
    where.mkdir(parents=True, exist_ok=True)
    for stale in where.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROCESS_DIR] = str(where)


def process_ended() -> None:
    """Drops this process's live gauges from the shared files (multiprocess mode only)."""
    if os.environ.get(MULTIPROCESS_DIR):
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
