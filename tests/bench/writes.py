"""Workload "writes": the deployed shape — `secondments serve --workers 1` and `--workers 2` with
`secondments worker` running beside it on PostgreSQL — under 8 and 32 closed-loop clients of
the HTTP command mix, measured side by side (1 and 2 processes alternate inside each repeat).

Besides the rate it records where the cores go (CPU seconds of the API processes, the worker,
and the PostgreSQL backends serving each, from /proc, against the whole machine's busy time),
how often the API's sessions wait on a lock (`pg_stat_activity` sampled every 20 ms) and the
worker's load on PostgreSQL (its backends' CPU and statements sampled active)."""

from __future__ import annotations

import contextlib
import os
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import psycopg

from api.settings import Settings
from tests.bench import harness
from tests.bench.commands import HttpMix
from tests.bench.harness import Bench
from tests.bench.loop import Run, closed_loop, median
from tests.bench.options import Options
from tests.bench.report import Figure, at_least

NAME = "1b writes with the worker"
CONCURRENCY = (8, 32)
PROCESSES = (1, 2)
TICK = os.sysconf("SC_CLK_TCK")
SAMPLE_EVERY = 0.02


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def children(pid: int) -> list[int]:
    """A process and its descendants (uvicorn's worker processes)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError), open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rpartition(")")[2].split()[1])
                parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += parents.get(p, [])
    return found


def machine_busy() -> float:
    """Busy CPU seconds of the whole machine since boot (every core)."""
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:]]
    idle = ticks[3] + ticks[4]
    return (sum(ticks[:8]) - idle) / TICK


@dataclass
class Sampler:
    """Samples the bench database's sessions while a run goes: CPU of the backends by
    application name, and what the API's active sessions wait on."""

    url: str
    waits: Counter[str] = field(default_factory=Counter)
    active: Counter[str] = field(default_factory=Counter)
    backends: dict[int, tuple[str, float]] = field(default_factory=dict)
    stopping: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stopping.wait(SAMPLE_EVERY):
                rows = conn.execute(
                    "SELECT pid, application_name, state, wait_event_type, wait_event "
                    "FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()"
                ).fetchall()
                for pid, app, state, kind, event in rows:
                    self.backends.setdefault(pid, (app, cpu_seconds(pid)))
                    if state != "active":
                        continue
                    self.active[app] += 1
                    if app == "bench-api":
                        self.waits[f"{kind}:{event}" if kind else "running"] += 1

    def cpu_by_app(self) -> Counter[str]:
        used: Counter[str] = Counter()
        for pid, (app, before) in self.backends.items():
            used[app] += max(0.0, cpu_seconds(pid) - before)
        return used


@contextlib.contextmanager
def application_name(name: str) -> Iterator[None]:
    """Names the PostgreSQL sessions of the subprocesses started inside (libpq's PGAPPNAME)."""
    before = os.environ.get("PGAPPNAME")
    os.environ["PGAPPNAME"] = name
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PGAPPNAME", None)
        else:
            os.environ["PGAPPNAME"] = before


@dataclass(frozen=True)
class Shape:
    """One run of the deployed shape: its rate and where the time went."""

    run: Run
    cpu: dict[str, float]
    waits: dict[str, float]


@contextlib.contextmanager
def deployed(store: Settings, processes: int, clients: int) -> Iterator[tuple[str, list[int]]]:
    served = store.model_copy(update={"db_pool_size": clients // processes + 2})
    with (
        application_name("bench-worker"),
        harness.process(["worker"], store) as worker,
        application_name("bench-api"),
        harness.server(served, processes) as url,
    ):
        api = [p for p in children(os.getpid()) if p != worker.pid and p != os.getpid()]
        yield url, [worker.pid, *api]


def measure(options: Options, store: Settings, processes: int, clients: int) -> Shape:
    with deployed(store, processes, clients) as (url, (worker, *api)):
        mix = HttpMix(store, url, clients)
        closed_loop(mix, clients, min(1.0, options.seconds))  # warm up the pools
        sampler = Sampler(store.database_url or "")
        thread = threading.Thread(target=sampler.run, daemon=True)
        before = {p: cpu_seconds(p) for p in [worker, *api]}
        busy = machine_busy()
        thread.start()
        try:
            run = closed_loop(mix, clients, options.seconds)
        finally:
            sampler.stopping.set()
            thread.join()
            mix.close()
        elapsed = run.seconds
        backends = sampler.cpu_by_app()
        cpu = {
            "API processes": sum(cpu_seconds(p) - before[p] for p in api),
            "worker": cpu_seconds(worker) - before[worker],
            "PostgreSQL for the API": backends["bench-api"],
            "PostgreSQL for the worker": backends["bench-worker"],
            "machine": machine_busy() - busy,
        }
        cores = {k: v / elapsed for k, v in cpu.items()}
        cores["the bench's clients and others"] = cores["machine"] - sum(
            v for k, v in cores.items() if k != "machine"
        )
        samples = sum(sampler.waits.values()) or 1
        waits = {k: 100 * v / samples for k, v in sampler.waits.items()}
        waits["worker sessions active (mean)"] = (
            sampler.active["bench-worker"] * SAMPLE_EVERY / elapsed
        )
        return Shape(run, cores, waits)


def run(options: Options, bench: Bench) -> list[Figure]:
    figures: list[Figure] = []
    for clients in CONCURRENCY:
        shapes: dict[int, list[Shape]] = {p: [] for p in PROCESSES}
        for _ in range(options.repeats):
            for processes in PROCESSES:
                store = bench.store(f"w{clients}x{processes}", db_pool_size=clients)
                shapes[processes].append(measure(options, store, processes, clients))
        figures += figures_of(shapes, clients)
    return figures


def figures_of(shapes: dict[int, list[Shape]], clients: int) -> list[Figure]:
    figures = []
    for processes, found in shapes.items():
        at = f"{clients} clients, {processes} API process{'es' if processes > 1 else ''} + worker"
        errors = sum(s.run.errors for s in found)
        said = next((s.run.first_error for s in found if s.run.first_error), "")
        note = f"errors {errors} {said[:100]}" if errors else ""
        figures.append(
            Figure(NAME, f"HTTP mix, {at}", median([s.run.rate for s in found]), "cmd/s", note=note)
        )
        for part in found[0].cpu:
            cores = median([s.cpu[part] for s in found])
            figures.append(Figure(NAME, f"  cores: {part}", cores, "cores"))
        kinds = sorted({k for s in found for k in s.waits}, key=lambda k: -found[0].waits.get(k, 0))
        for kind in kinds:
            unit = "sessions" if kind.startswith("worker") else "% of API samples"
            value = median([s.waits.get(kind, 0.0) for s in found])
            figures.append(Figure(NAME, f"  {kind}", value, unit))
    ratios = [
        b.run.rate / a.run.rate for a, b in zip(shapes[1], shapes[2], strict=True) if a.run.rate
    ]
    figures.append(
        Figure(NAME, f"2 processes / 1, {clients} clients", median(ratios), "×", at_least(1.3))
    )
    return figures
