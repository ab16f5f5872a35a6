"""`make bench`: every workload against real PostgreSQL, printed as a table and written as JSON.

python -m tests.bench                       # default size (20,000 events), a few minutes
python -m tests.bench --quick               # a tiny trial run
python -m tests.bench --events 1000000      # full size, on a quiet machine
python -m tests.bench --only commands history
python -m tests.bench --only peer           # ours beside the peer of issue #19 (Django)
"""

from __future__ import annotations

import importlib
import logging
import sys
import time
from dataclasses import asdict

import psycopg

from tests import pgserver
from tests.bench import harness, options
from tests.bench.report import Figure, show, write_json

MODULES = {name: f"tests.bench.{name}" for name in options.WORKLOADS}
MODULES["peer"] = "tests.bench.against_peer"
"""tests/bench/peer is the peer's Django project itself, run in its own virtualenv."""


def main(argv: list[str] | None = None) -> int:
    """Runs the workloads; a database that refuses connections ends it with one line."""
    try:
        return measure(options.parse(argv))
    except (psycopg.OperationalError, pgserver.PostgresUnavailable) as refused:
        first = str(refused).strip().splitlines()[0] if str(refused).strip() else "no answer"
        print(f"bench: cannot use PostgreSQL: {first}", file=sys.stderr)
        return 2


def measure(opts: options.Options) -> int:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("transitions").setLevel(logging.WARNING)
    figures: list[Figure] = []
    with harness.bench_database() as bench:
        for name in opts.only:
            began = time.perf_counter()
            print(f"… {name}", file=sys.stderr, flush=True)
            figures += importlib.import_module(MODULES[name]).run(opts, bench)
            print(f"  {name}: {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
    title = (
        f"Secondment Registry bench: {opts.events:,} events, {opts.seconds:g} s loops, "
        f"median of {opts.repeats}"
    )
    show(figures, title)
    write_json(opts.out, figures, {k: str(v) for k, v in asdict(opts).items()})
    print(f"written to {opts.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
