"""Workload 6: how cost grows with the history: rebuild events/s and query p99 at three sizes
(10k, 100k and 1,000k events at full size; N/100, N/10 and N otherwise)."""

from __future__ import annotations

from tests.bench import histories, queries, rebuild
from tests.bench.harness import Bench
from tests.bench.loop import median
from tests.bench.options import Options
from tests.bench.readside import present
from tests.bench.report import Figure, absent, at_least, at_most

NAME = "6 growth"


def run(options: Options, bench: Bench) -> list[Figure]:
    if not present():
        return [absent(NAME, "rebuild rate and query p99 by history size")]
    sizes = [n for n in options.growth_sizes if n > 0]
    figures: list[Figure] = []
    found = {}
    for size in sizes:
        history = histories.history(bench, size, options.seed)
        runs = rebuild.measured(history, options.repeats)
        rate = median([r.events / r.rebuild_seconds for r in runs])
        parallel = median([r.events / r.parallel_seconds for r in runs])
        latency = queries.measured(history, options)
        worst = max(latency, key=lambda name: latency[name].p99_ms)
        found[size] = (rate, latency[worst].p99_ms)
        at = f"{history.events:,} events"
        largest = size == sizes[-1]
        figures += [
            Figure(
                NAME, f"rebuild at {at}", rate, "events/s", at_least(20_000) if largest else None
            ),
            Figure(NAME, f"rebuild at {at}, 2 workers", parallel, "events/s"),
            Figure(
                NAME,
                f"worst query p99 at {at}",
                latency[worst].p99_ms,
                "ms",
                at_most(queries.P99_TARGET_MS) if largest else None,
                note=worst,
            ),
            Figure(
                NAME,
                f"median query p99 at {at}",
                median([q.p99_ms for q in latency.values()]),
                "ms",
            ),
        ]
    small, large = found[sizes[0]], found[sizes[-1]]
    scale = f"{sizes[-1] // max(sizes[0], 1)}× the events"
    figures += [
        Figure(NAME, "rebuild rate, largest / smallest", large[0] / small[0], "×", note=scale),
        Figure(NAME, "worst query p99, largest / smallest", large[1] / small[1], "×", note=scale),
    ]
    return figures
