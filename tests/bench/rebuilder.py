"""A full rebuild of every read model, measured in a process of its own (so its peak memory is
its own), beside the raw rate of reading the same notifications, in paired runs.

    python -m tests.bench.rebuilder --repeats 3      # settings from SECONDMENTS_*; prints JSON

It also rebuilds with the read models shared between two worker processes (`PARTS`, as two
`secondments worker MODEL…` would run them): one Python process uses about one core.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from typing import Any

from api.settings import Settings, projection_runner
from tests.bench import harness


@dataclass(frozen=True)
class Measured:
    """One paired run: raw read, read + decode, and the rebuild, over the same log."""

    events: int
    read_seconds: float
    decode_seconds: float
    rebuild_seconds: float
    baseline_rss_mb: float
    peak_rss_mb: float
    parallel_seconds: float
    """The same rebuild by two processes, each running part of the read models."""


def read_all(app: Any, batch: int, decode: bool) -> tuple[int, float]:
    """Reads the whole log with select_notifications in batches (and decodes it if asked)."""
    from projections.catalog import DECODED
    from projections.decoding import decode as to_events

    began, start, count = time.perf_counter(), 1, 0
    while True:
        found = app.recorder.select_notifications(start, batch)
        if not found:
            return count, time.perf_counter() - began
        if decode:
            to_events(app, found, DECODED)
        count += len(found)
        start = found[-1].id + 1


PARTS = (
    ("audit", "decisions", "difficulties"),
    ("secondments", "compliance", "communes", "deadlines", "agencies"),
)
"""Read models per process, about equal in work (audit alone is a third of it)."""


def runner_of(app: Any, store: Any, settings: Settings, names: Sequence[str] = ("all",)) -> Any:
    from projections.catalog import select

    return projection_runner(settings, app, store, select(list(names)), drop_grace=0)


def request_rebuilds(app: Any, store: Any, settings: Settings) -> None:
    """Brings the live versions to the head (not timed), then starts a rebuild of each."""
    from projections.catalog import MODELS, ReadModels

    models = ReadModels(store)
    models.setup(app)
    runner_of(app, store, settings).catch_up(timeout=24 * 3600)
    for model in MODELS:
        models.request_rebuild(model.name)


def rebuild_in_parts(settings: Settings) -> float:
    """The rebuild by one process per part, started together; from the first start to the
    last end (the processes' own start-up is not counted). Their output goes to files, so
    that one waited for cannot block on a full pipe of the other."""
    with ExitStack() as files:
        outputs = [files.enter_context(tempfile.TemporaryFile("w+")) for _ in PARTS]
        children = [
            subprocess.Popen(
                [sys.executable, "-m", "tests.bench.rebuilder", "--part", ",".join(part)],
                env=harness.environment(settings),
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for part, out in zip(PARTS, outputs, strict=True)
        ]
        spans = []
        for child, out in zip(children, outputs, strict=True):
            child.wait(timeout=24 * 3600)
            out.seek(0)
            said = out.read()
            if child.returncode != 0:
                raise RuntimeError(f"a rebuild part failed: {said[-3000:]}")
            spans.append(json.loads(said.strip().splitlines()[-1]))
    return max(s["ended"] for s in spans) - min(s["began"] for s in spans)


def run_part(settings: Settings, names: Sequence[str]) -> dict[str, float]:
    from projections.store import open_store

    with harness.registry(settings) as app:
        store = open_store(settings)
        try:
            runner = runner_of(app, store, settings, names)
            began = time.time()
            runner.catch_up(timeout=24 * 3600)
            return {"began": began, "ended": time.time()}
        finally:
            store.close()


def rebuild_all(app: Any, store: Any, settings: Settings) -> float:
    """A blue/green rebuild of every read model, as `secondments projections rebuild all` does
    it: new versions beside the live ones, filled from the start of the log, indexed and
    switched to."""
    request_rebuilds(app, store, settings)
    began = time.perf_counter()
    runner_of(app, store, settings).catch_up(timeout=24 * 3600)
    return time.perf_counter() - began


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(settings: Settings, repeats: int) -> list[Measured]:
    from projections.store import open_store

    found = []
    with harness.registry(settings) as app:
        store = open_store(settings)
        try:
            baseline = rss_mb()
            for _ in range(repeats):
                events, read = read_all(app, settings.projection_batch_size, decode=False)
                _, decoded = read_all(app, settings.projection_batch_size, decode=True)
                rebuilt = rebuild_all(app, store, settings)
                peak = rss_mb()
                request_rebuilds(app, store, settings)
                parallel = rebuild_in_parts(settings)
                found.append(Measured(events, read, decoded, rebuilt, baseline, peak, parallel))
        finally:
            store.close()
    return found


def in_subprocess(settings: Settings, repeats: int) -> list[Measured]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.rebuilder", "--repeats", str(repeats)],
        env=harness.environment(settings),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the rebuild failed: {done.stderr[-3000:]}")
    return [Measured(**m) for m in json.loads(done.stdout.strip().splitlines()[-1])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--part", help="only catch up these read models (comma-separated)")
    args = parser.parse_args()
    if args.part:
        print(json.dumps(run_part(Settings(), args.part.split(","))))
        return
    found = measure(Settings(), args.repeats)
    print(json.dumps([asdict(m) for m in found]))


if __name__ == "__main__":
    main()
