"""Workload 7: the reads a peer answers with one ORM query, over HTTP from one client: the list
by province and state, one record's audit trail, and what the metrics cost (a scrape, and the
counting every request does), beside `/healthz` (the HTTP floor) on the same connection."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from api import metrics
from tests.bench import harness, histories
from tests.bench.harness import Bench, Plain
from tests.bench.loop import closed_loop, median
from tests.bench.options import Options
from tests.bench.readside import present
from tests.bench.report import Figure, absent, at_most

NAME = "7 reads"
LIST_P50_MS = 4.0
PEER_TRAIL_P50_MS = 2.9
"""The peer's trail p50 on this kind of machine (issue #19)."""
COUNTED = 100_000


def loop(
    http: Plain, paths: Callable[[random.Random], str], seed: int
) -> Callable[[int, int], None]:
    rng = random.Random(seed)
    return lambda client, n: http.call("GET", paths(rng))


def counting_us() -> float:
    """Microseconds the metrics add to one request in the server (counter and pool sampler)."""
    sampler = metrics.PoolSampler({})
    began = time.perf_counter()
    for _ in range(COUNTED):
        metrics.REQUESTS.labels("GET", "/v1/secondments", 200).inc()
        sampler.sample()
    return (time.perf_counter() - began) / COUNTED * 1e6


def run(options: Options, bench: Bench) -> list[Figure]:
    if not present():
        return [absent(NAME, "list, trail and metrics")]
    history = histories.history(bench, options.events, options.seed)
    histories.read_models(history)
    store = history.settings
    found: dict[str, list[tuple[float, float]]] = {}
    with harness.server(store) as url:
        reader = Plain(url, harness.bearer(store, "ministry"))
        admin = Plain(url, harness.bearer(store, "admin"))
        try:
            items = reader.call("GET", "/v1/secondments?state=reporting&limit=500")["items"]
            ids = [i["id"] for i in items] or ["00000000-0000-0000-0000-000000000000"]
            provinces = sorted({i["province_code"] for i in items}) or [11]
            workloads = {
                "list by province + state": loop(
                    reader,
                    lambda r: (
                        f"/v1/secondments?province_code={r.choice(provinces)}&state=reporting"
                    ),
                    options.seed,
                ),
                "one record's audit trail": loop(
                    reader, lambda r: f"/v1/secondments/{r.choice(ids)}/events", options.seed
                ),
                "GET /healthz (HTTP floor)": loop(reader, lambda r: "/healthz", options.seed),
                "GET /metrics (a scrape)": loop(admin, lambda r: "/metrics", options.seed),
            }
            for _ in range(options.repeats):
                for name, operation in workloads.items():
                    closed_loop(operation, 1, min(0.5, options.seconds / 4))
                    done = closed_loop(operation, 1, options.seconds)
                    if done.errors:
                        raise RuntimeError(f"{name}: {done.first_error}")
                    found.setdefault(name, []).append((done.p50_ms, done.p99_ms))
        finally:
            reader.close()
            admin.close()
    return figures_of(found, history, counting_us())


def figures_of(
    found: dict[str, list[tuple[float, float]]], history: histories.History, counting: float
) -> list[Figure]:
    note = f"{history.secondments:,} records, {history.events:,} events, 1 client"
    targets = {
        "list by province + state": at_most(LIST_P50_MS),
        "one record's audit trail": at_most(PEER_TRAIL_P50_MS),
    }
    figures = []
    for name, runs in found.items():
        p50, p99 = median([r[0] for r in runs]), median([r[1] for r in runs])
        figures.append(Figure(NAME, f"{name} p50", p50, "ms", targets.get(name), note))
        figures.append(Figure(NAME, f"{name} p99", p99, "ms"))
    list_p50 = median([r[0] for r in found["list by province + state"]])
    figures.append(Figure(NAME, "metrics counting per request", counting, "µs", note="in-process"))
    share = counting / 1000 / list_p50 * 100 if list_p50 else float("nan")
    figures.append(Figure(NAME, "metrics counting / list p50", share, "%"))
    return figures
