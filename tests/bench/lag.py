"""Workload 3: projection lag under a steady command rate. The server and `secondments worker`
run as subprocesses on PostgreSQL; commands are sent open-loop at a fixed rate; a poller watches
the read models' tracked position, and each command's lag is the time from its response to the
moment every read model had processed its position."""

from __future__ import annotations

import bisect
import threading
import time
from dataclasses import dataclass

from api.settings import Settings
from tests.bench import harness
from tests.bench.commands import HttpMix
from tests.bench.harness import Bench
from tests.bench.loop import median, open_loop, percentile
from tests.bench.options import Options
from tests.bench.readside import Positions, present
from tests.bench.report import Figure, absent, at_most

NAME = "3 lag"
LANES = 8
MODELS = 8
POLL_SECONDS = 0.002


class Watcher:
    """Polls the lowest tracked position in a thread; remembers when each increase was seen."""

    def __init__(self, settings: Settings) -> None:
        self.positions = Positions(settings)
        self.times: list[float] = []
        self.seen: list[int] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)

    def wait_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while self.positions.models() < MODELS:
            if time.monotonic() > deadline:
                raise RuntimeError("the worker did not set up the read models")
            time.sleep(0.1)

    def _poll(self) -> None:
        while not self.stopping.is_set():
            position = self.positions.lowest()
            if not self.seen or position > self.seen[-1]:
                self.times.append(time.perf_counter())
                self.seen.append(position)
            time.sleep(POLL_SECONDS)

    def visible_at(self, position: int) -> float | None:
        """When the poller first saw every read model at or past `position`."""
        i = bisect.bisect_left(self.seen, position)
        return self.times[i] if i < len(self.seen) else None

    def caught_up(self, position: int, seconds: float = 10) -> None:
        deadline = time.monotonic() + seconds
        while self.visible_at(position) is None and time.monotonic() < deadline:
            time.sleep(0.01)

    def __enter__(self) -> Watcher:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stopping.set()
        self.thread.join()
        self.positions.close()


@dataclass(frozen=True)
class LagRun:
    lags_ms: list[float]
    unseen: int
    failed: int
    rate: float
    late: int
    response_p99_ms: float


def one_run(mix: HttpMix, watcher: Watcher, options: Options) -> LagRun:
    sent = open_loop(mix, LANES, options.rate, options.seconds * 2)
    answered = [s for s in sent if not s.failed]
    if answered:
        watcher.caught_up(max(int(s.result) for s in answered))  # type: ignore[call-overload]
    lags, unseen = [], 0
    for s in answered:
        at = watcher.visible_at(int(s.result))  # type: ignore[call-overload]
        if at is None:
            unseen += 1
        else:
            lags.append(max(0.0, at - s.finished) * 1000)
    return LagRun(
        lags,
        unseen,
        len(sent) - len(answered),
        len(sent) / (sent[-1].finished - sent[0].due) if sent else 0.0,
        sum(1 for s in sent if s.started - s.due > 0.05),
        percentile([(s.finished - s.started) * 1000 for s in sent], 0.99),
    )


def run(options: Options, bench: Bench) -> list[Figure]:
    if not present():
        return [absent(NAME, f"projection lag at {options.rate:g} commands/s")]
    store = bench.store("lag", db_pool_size=LANES, db_max_overflow=LANES)
    runs = []
    with harness.server(store) as url, harness.process(["worker"], store) as worker:
        with Watcher(store) as watcher:
            watcher.wait_ready()
            mix = HttpMix(store, url, LANES)
            try:
                for _ in range(options.repeats):
                    runs.append(one_run(mix, watcher, options))
            finally:
                mix.close()
        if worker.poll() is not None:
            raise RuntimeError("the worker died during the run")
    return figures_of(runs, options)


def figures_of(runs: list[LagRun], options: Options) -> list[Figure]:
    at = f"at {options.rate:g} cmd/s"
    problems = sum(r.unseen + r.failed for r in runs)
    return [
        Figure(NAME, f"lag p50 {at}", median([percentile(r.lags_ms, 0.5) for r in runs]), "ms"),
        Figure(
            NAME,
            f"lag p99 {at}",
            median([percentile(r.lags_ms, 0.99) for r in runs]),
            "ms",
            at_most(250),
            note=f"poll every {POLL_SECONDS * 1000:g} ms",
        ),
        Figure(
            NAME,
            "commands sent",
            median([r.rate for r in runs]),
            "cmd/s",
            note=f"late starts {sum(r.late for r in runs)}, failed or unseen {problems}",
        ),
        Figure(NAME, f"command p99 {at}", median([r.response_p99_ms for r in runs]), "ms"),
    ]
