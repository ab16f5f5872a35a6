"""The bench's command-line options."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

WORKLOADS = (
    "commands",
    "writes",
    "rebuild",
    "lag",
    "history",
    "queries",
    "growth",
    "reads",
    "matching",
)
OPTIONAL = ("peer",)
"""Workloads run only when named in `--only`: the peer needs a virtualenv of its own."""


@dataclass(frozen=True)
class Options:
    events: int
    seconds: float
    repeats: int
    quick: bool
    only: tuple[str, ...]
    out: Path
    seed: int
    rate: float

    @property
    def growth_sizes(self) -> tuple[int, int, int]:
        return (self.events // 100, self.events // 10, self.events)

    @property
    def samples(self) -> int:
        """Requests per query measurement (each repeat)."""
        return 30 if self.quick else 200


def parse(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench",
        description="Benchmarks of the Secondment Registry against real PostgreSQL; "
        "every figure is the median of repeated runs.",
    )
    parser.add_argument("--events", type=int, default=20_000, help="history size (full: 1000000)")
    parser.add_argument(
        "--seconds", type=float, default=3.0, help="length of each closed loop (lag: twice)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure (median)")
    parser.add_argument(
        "--quick", action="store_true", help="tiny trial: 2,000 events, 1 s loops, 1 repeat"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=WORKLOADS + OPTIONAL,
        default=list(WORKLOADS),
        help="workloads to run (default: all but the optional peer)",
    )
    parser.add_argument("--out", type=Path, default=Path("bench-results.json"))
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--rate", type=float, default=100.0, help="commands/s of the lag workload")
    args = parser.parse_args(argv)
    if args.quick:
        args.events, args.seconds, args.repeats = min(args.events, 2_000), 1.0, 1
    return Options(
        events=args.events,
        seconds=args.seconds,
        repeats=args.repeats,
        quick=args.quick,
        only=tuple(w for w in WORKLOADS + OPTIONAL if w in args.only),
        out=args.out,
        seed=args.seed,
        rate=args.rate,
    )
