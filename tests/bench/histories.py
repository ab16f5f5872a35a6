"""Generated nationwide histories, one store per size, made once per bench run and shared by
the workloads that read them (rebuild, queries, growth)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from api.settings import Settings
from tests.bench import generator, harness
from tests.bench.harness import Bench


@dataclass(frozen=True)
class History:
    """A store holding a generated history, and how fast it was written."""

    settings: Settings
    events: int
    secondments: int
    write_rate: float


_made: dict[tuple[str, int, int], History] = {}


def history(bench: Bench, events: int, seed: int) -> History:
    key = (bench.url, events, seed)
    if key not in _made:
        store = bench.store(f"h{events}")
        with harness.registry(store) as app:
            began = time.perf_counter()
            stats = generator.load(app, events, seed)
            rate = stats.events / (time.perf_counter() - began)
        _made[key] = History(store, stats.events, stats.secondments, rate)
    return _made[key]


def read_models(history: History) -> None:
    """Brings every read model of the history's store up to the head of its log."""
    from projections.runner import Runner
    from projections.store import open_store

    with harness.registry(history.settings) as app:
        store = open_store(history.settings)
        try:
            Runner(app, store, drop_grace=0).catch_up(timeout=24 * 3600)
        finally:
            store.close()
    settled(history.settings)


def settled(settings: Settings) -> None:
    """VACUUM ANALYZE of the store's tables, as autovacuum leaves a database in service: tables
    filled a moment ago have no planner statistics yet, and a query planned on none can choose
    a plan a hundred times slower (seen: the audit by actor and dates)."""
    if not settings.database_url:
        return
    import psycopg

    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s", (settings.db_schema,)
        ).fetchall()
        for (table,) in tables:
            conn.execute(f'VACUUM ANALYZE "{settings.db_schema}"."{table}"')
