"""Closed-loop load: N threads each call an operation back to back for a fixed time."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    """One timed run: operations per second and latency percentiles in milliseconds."""

    ops: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    first_error: str = ""

    @property
    def rate(self) -> float:
        return self.ops / self.seconds if self.seconds else 0.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def closed_loop(operation: Callable[[int, int], object], clients: int, seconds: float) -> Run:
    """Runs `operation(client, n)` from `clients` threads for `seconds`, timing each call."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    first_error: list[str] = []
    stop = threading.Event()
    start_gate = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        start_gate.wait()
        n = 0
        while not stop.is_set():
            began = time.perf_counter()
            try:
                operation(index, n)
            except Exception as e:
                errors[index] += 1
                if not first_error:
                    first_error.append(f"{type(e).__name__}: {e}")
            latencies[index].append(time.perf_counter() - began)
            n += 1

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    start_gate.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    flat = [x * 1000 for xs in latencies for x in xs]
    failed = sum(errors)
    p50, p99 = percentile(flat, 0.5), percentile(flat, 0.99)
    return Run(len(flat) - failed, elapsed, p50, p99, failed, "".join(first_error[:1]))


def median_run(runs: list[Run]) -> Run:
    """The run with the median rate (latencies from that same run)."""
    ordered = sorted(runs, key=lambda r: r.rate)
    return ordered[len(ordered) // 2]


def timed(operation: Callable[[], object], repeat: int) -> list[float]:
    """Latencies in milliseconds of `repeat` sequential calls."""
    found = []
    for _ in range(repeat):
        began = time.perf_counter()
        operation()
        found.append((time.perf_counter() - began) * 1000)
    return found


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass(frozen=True)
class Sent:
    """One operation of an open loop: when it was due, started, answered, and what it returned."""

    due: float
    started: float
    finished: float
    result: object
    failed: bool


def open_loop(
    operation: Callable[[int, int], object], lanes: int, rate: float, seconds: float
) -> list[Sent]:
    """Starts `operation(lane, n)` at a steady `rate` per second for `seconds`, whatever the
    answers take: operation i is due at i / rate and runs on lane i % lanes (in order per lane,
    so a lane that falls behind starts late, which `Sent.started - Sent.due` shows)."""
    total = int(rate * seconds)
    sent: list[list[Sent]] = [[] for _ in range(lanes)]
    start_gate = threading.Barrier(lanes + 1)
    origin = [0.0]

    def lane(index: int) -> None:
        start_gate.wait()
        for n, i in enumerate(range(index, total, lanes)):
            due = origin[0] + i / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            began = time.perf_counter()
            try:
                result, failed = operation(index, n), False
            except Exception as e:
                result, failed = e, True
            sent[index].append(Sent(due, began, time.perf_counter(), result, failed))

    threads = [threading.Thread(target=lane, args=(i,), daemon=True) for i in range(lanes)]
    for t in threads:
        t.start()
    origin[0] = time.perf_counter() + 0.05
    start_gate.wait()
    for t in threads:
        t.join()
    return sorted((s for xs in sent for s in xs), key=lambda s: s.due)
