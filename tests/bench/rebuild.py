"""Workload 2: a full rebuild of every read model from the generated history, beside the raw
rate of reading the same notifications (the read ceiling); time and peak memory."""

from __future__ import annotations

from tests.bench import histories, rebuilder
from tests.bench.harness import Bench
from tests.bench.loop import median
from tests.bench.options import Options
from tests.bench.readside import present
from tests.bench.report import Figure, absent, at_least

NAME = "2 rebuild"


def run(options: Options, bench: Bench) -> list[Figure]:
    if not present():
        return [absent(NAME, "rebuild of every read model")]
    history = histories.history(bench, options.events, options.seed)
    return figures_of(measured(history, options.repeats), history)


_measured: dict[tuple[int, str], list[rebuilder.Measured]] = {}


def measured(history: histories.History, repeats: int) -> list[rebuilder.Measured]:
    """Memoised per history, so the growth workload reuses the full-size figures."""
    key = (history.events, history.settings.db_schema or "")
    if key not in _measured:
        _measured[key] = rebuilder.in_subprocess(history.settings, repeats)
    return _measured[key]


def figures_of(runs: list[rebuilder.Measured], history: histories.History) -> list[Figure]:
    n = runs[0].events
    rebuild = median([r.events / r.rebuild_seconds for r in runs])
    parallel = median([r.events / r.parallel_seconds for r in runs])
    read = median([r.events / r.read_seconds for r in runs])
    decode = median([r.events / r.decode_seconds for r in runs])
    ratio = median([r.read_seconds / r.rebuild_seconds for r in runs])
    return [
        Figure(
            NAME,
            "history written (generator)",
            history.write_rate,
            "events/s",
            note=f"{n:,} events, {history.secondments:,} secondments",
        ),
        Figure(NAME, "rebuild, all read models", rebuild, "events/s", at_least(20_000)),
        Figure(NAME, "rebuild time", median([r.rebuild_seconds for r in runs]), "s"),
        Figure(
            NAME,
            "rebuild, read models split over 2 workers",
            parallel,
            "events/s",
            at_least(20_000),
            note=" | ".join(" ".join(part) for part in rebuilder.PARTS),
        ),
        Figure(NAME, "rebuild time, 2 workers", median([r.parallel_seconds for r in runs]), "s"),
        Figure(NAME, "raw select_notifications", read, "events/s", note="read ceiling"),
        Figure(NAME, "select + decode", decode, "events/s"),
        Figure(NAME, "rebuild / raw read", ratio, "×", at_least(0.3)),
        Figure(
            NAME,
            "rebuild with 2 workers / raw read",
            median([r.read_seconds / r.parallel_seconds for r in runs]),
            "×",
            at_least(0.3),
        ),
        Figure(
            NAME,
            "peak RSS of the rebuild process",
            max(r.peak_rss_mb for r in runs),
            "MB",
            note=f"{runs[0].baseline_rss_mb:.0f} MB before",
        ),
    ]
