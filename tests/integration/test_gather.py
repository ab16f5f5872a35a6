"""A runner under a stream of commands lets events gather after a batch that was not full, so
that one transaction carries many of them; the first event after a quiet spell is applied at
once, and nothing is skipped or repeated."""

from __future__ import annotations

import threading
import time

from api.settings import Settings, open_registry, projection_runner
from domain.application import SecondmentRegistry
from projections.base import Scope
from projections.catalog import BY_NAME, head
from projections.runner import Runner
from projections.secondments import SecondmentFilter, SecondmentsView
from projections.store import ReadStore, open_store
from tests import builders
from tests.integration import test_projections

world = test_projections.world
"""The event store and read store of test_projections, on each backend."""

GATHER = 2.0


class Counting(Runner):
    """A runner that remembers how many log entries each of its steps read."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.reads: list[int] = []
        self.changed = threading.Condition()

    def step(self) -> int:
        read = super().step()
        if read:
            with self.changed:
                self.reads.append(read)
                self.changed.notify_all()
        return read

    def wait_for(self, total: int, timeout: float = 30) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: sum(self.reads) >= total, timeout), self.reads


def test_events_committed_while_a_runner_gathers_are_applied_in_one_batch(
    world: tuple[SecondmentRegistry, ReadStore],
) -> None:
    app, read = world
    runner = Counting(app, read, [BY_NAME["secondments"]], poll=0.05, gather=GATHER)
    runner.start()
    try:
        started = time.monotonic()
        builders.request(app)
        runner.wait_for(1)
        assert runner.reads == [1]  # the first event after a quiet spell, at once
        for _ in range(5):
            builders.request(app)
        assert time.monotonic() - started < GATHER, "the writes took longer than the window"
        runner.wait_for(6)
    finally:
        runner.stop()
    assert runner.reads == [1, 5]
    assert SecondmentsView(read).count(SecondmentFilter(), Scope()) == 6 == head(app)


def test_the_settings_give_the_worker_its_gathering_window(store: Settings) -> None:
    app = open_registry(store)
    read = open_store(store)
    try:
        assert projection_runner(store, app, read).gather == 0.05
        quiet = store.model_copy(update={"projection_gather_seconds": 0.0})
        assert projection_runner(quiet, app, read).gather == 0.0
    finally:
        read.close()
        app.close()
