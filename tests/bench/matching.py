"""Workload 8: the plan matcher on a province-sized plan, 500 nominees for 300 seats, timed in
process (no database); the figure is the median of repeated solves."""

from __future__ import annotations

import random
import time

from domain.matching import Matching, Nominee, Seat, match
from domain.values import Field
from tests.bench.harness import Bench
from tests.bench.loop import median
from tests.bench.options import Options
from tests.bench.report import Figure, at_most

NAME = "8 matching"
SEATS, NOMINEES = 300, 500
CEILING_SECONDS = 1.0
FIELDS = [f.value for f in Field]


def instance(seed: int) -> tuple[list[Seat], list[Nominee]]:
    """About 120 communes needing 1–4 seats each, 1–3 fields per seat; nominees with 1–3 fields,
    one in ten nominated twice by two agencies, most eligible, a third leaders."""
    rnd = random.Random(seed)
    seats: list[Seat] = []
    target = 0
    while len(seats) < SEATS:
        fields = tuple(rnd.sample(FIELDS, rnd.randint(1, 3)))
        for number in range(min(rnd.randint(1, 4), SEATS - len(seats))):
            seats.append(Seat(target, number, 3000 + target, 11, fields))
        target += 1
    nominees = [
        Nominee(
            nomination_id=f"n{i}",
            personnel_key=f"p{i if rnd.random() > 0.1 else rnd.randrange(max(i, 1))}",
            fields=tuple(rnd.sample(FIELDS, rnd.randint(1, 3))),
            eligible=rnd.random() < 0.7,
            leader=rnd.random() < 0.3,
        )
        for i in range(NOMINEES)
    ]
    return seats, nominees


def timed(seats: list[Seat], nominees: list[Nominee]) -> tuple[float, Matching]:
    began = time.perf_counter()
    found = match(seats, nominees)
    return time.perf_counter() - began, found


def run(options: Options, bench: Bench) -> list[Figure]:
    seats, nominees = instance(options.seed)
    runs = [timed(seats, nominees) for _ in range(max(options.repeats, 5))]
    covered = len(runs[0][1].assignments)
    note = f"{NOMINEES} nominees × {SEATS} seats, {covered} covered"
    seconds = median([r[0] for r in runs])
    return [Figure(NAME, "solve median", seconds, "s", at_most(CEILING_SECONDS), note=note)]
