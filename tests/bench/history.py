"""Workload 4: a secondment's past over HTTP (`?version=` and `?as_of=`) on a secondment with
1,000 events, on a store with snapshots every 50 events beside one without snapshots."""

from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any
from uuid import UUID

import httpx

from api.settings import Settings
from tests import builders
from tests.bench import harness
from tests.bench.harness import Bench
from tests.bench.loop import Run, closed_loop, median
from tests.bench.options import Options
from tests.bench.report import Figure, at_most

NAME = "4 history"
EVENTS = 1000
SNAPSHOTS = {"snapshots every 50": 50, "no snapshots": 0}


def prepare(store: Settings) -> tuple[UUID, list[str]]:
    """The secondment's id and the recorded time of each of its events."""
    with harness.registry(store) as app:
        sid = builders.long_lived(app, EVENTS)
        events: list[Any] = list(app.events.get(sid))
        times = [e.timestamp.isoformat() for e in events]
    assert len(times) == EVENTS, len(times)
    return sid, times


def reader(
    base_url: str, store: Settings, sid: UUID, times: list[str], by: str, seed: int
) -> tuple[Callable[[int, int], None], httpx.Client]:
    """A reader of past states at random versions (or recorded times), and its client."""
    http = harness.client(base_url, harness.bearer(store, "ministry"))
    rng = random.Random(seed)

    def read(client: int, n: int) -> None:
        if by == "version":
            params = {"version": str(rng.randint(1, len(times)))}
        else:
            params = {"as_of": rng.choice(times)}
        http.get(f"/v1/secondments/{sid}", params=params).raise_for_status()

    return read, http


def run(options: Options, bench: Bench) -> list[Figure]:
    runs: dict[tuple[str, str], list[Run]] = {}
    with ExitStack() as stack:
        readers = {}
        for label, interval in SNAPSHOTS.items():
            store = bench.store(f"hist{interval}", snapshot_interval=interval)
            sid, times = prepare(store)
            base_url = stack.enter_context(harness.server(store))
            for by in ("version", "as_of"):
                read, http = reader(base_url, store, sid, times, by, options.seed)
                stack.callback(http.close)
                readers[label, by] = read
        for _ in range(options.repeats):
            for key, read in readers.items():
                closed_loop(read, 1, min(0.5, options.seconds / 4))
                runs.setdefault(key, []).append(closed_loop(read, 1, options.seconds))
    return figures_of(runs)


def figures_of(runs: dict[tuple[str, str], list[Run]]) -> list[Figure]:
    figures = []
    for (label, by), found in runs.items():
        p50, p99 = median([r.p50_ms for r in found]), median([r.p99_ms for r in found])
        measure = f"GET ?{by}= ({EVENTS:,} events), {label}"
        figures.append(Figure(NAME, f"{measure} p50", p50, "ms"))
        figures.append(Figure(NAME, f"{measure} p99", p99, "ms", at_most(20)))
    for by in ("version", "as_of"):
        slow, fast = runs["no snapshots", by], runs["snapshots every 50", by]
        gain = median([a.p50_ms / b.p50_ms for a, b in zip(slow, fast, strict=True)])
        figures.append(Figure(NAME, f"?{by}= p50 without / with snapshots", gain, "×"))
    return figures
