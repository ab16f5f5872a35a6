"""A full rebuild of every read model, measured in a process of its own (so its peak memory is
its own), beside the raw rate of reading the same notifications, in paired runs.

    python -m tests.bench.rebuilder --repeats 3      # settings from SECONDMENTS_*; prints JSON
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

from api.settings import Settings
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


def read_all(app: Any, batch: int, decode: bool) -> tuple[int, float]:
    """Reads the whole log with select_notifications in batches (and decodes it if asked)."""
    from projections.catalog import decode as to_events

    began, start, count = time.perf_counter(), 1, 0
    while True:
        found = app.recorder.select_notifications(start, batch)
        if not found:
            return count, time.perf_counter() - began
        if decode:
            to_events(app, found)
        count += len(found)
        start = found[-1].id + 1


def rebuild_all(app: Any, store: Any, batch: int) -> float:
    """A new version of every read model, filled from the start of the log, then switched to
    (the first time, the live versions are new and empty: they are the rebuild)."""
    from projections.catalog import MODELS, ReadModels
    from projections.runner import Runner

    models = ReadModels(store)
    models.setup()
    live = models.positions()
    for model in MODELS:
        if live.get(model.name, 0) > 0:
            models.request_rebuild(model.name)
    began = time.perf_counter()
    Runner(app, store, MODELS, batch_size=batch, drop_grace=0).catch_up(timeout=24 * 3600)
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
                rebuilt = rebuild_all(app, store, settings.projection_batch_size)
                found.append(Measured(events, read, decoded, rebuilt, baseline, rss_mb()))
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
    args = parser.parse_args()
    found = measure(Settings(), args.repeats)
    print(json.dumps([asdict(m) for m in found]))


if __name__ == "__main__":
    main()
