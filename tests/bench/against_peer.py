"""Workload "peer": ours beside the peer of issue #19 (Django 5 + django-fsm-2 + django-fsm-log
on the same PostgreSQL, gunicorn gthread; tests/bench/peer), measured on this machine, the two
alternating inside each repeat (taking turns at going first) under the same closed-loop
client:

- commands (the HTTP mix of workload 1) at 1 and 2 processes × 8 and 32 clients: ours is
  `secondments serve --workers N` with the projection worker beside it (as workload "writes"
  deploys it), the peer gunicorn with N workers of clients / N threads (one per client, as our
  pool has one connection per client); each run on a fresh store of its own;
- the list by province + state and one record's trail from one client (tests.bench.peer_reads).

The issue's goals: commands at 2 processes and 32 clients at least 1.2× the peer's, and the
list's and the trail's latencies at most the peer's."""

from __future__ import annotations

from api.settings import Settings
from tests.bench import peer_env, peer_reads, peer_server
from tests.bench.commands import HttpMix
from tests.bench.harness import Bench
from tests.bench.loop import Run, closed_loop, median
from tests.bench.options import Options
from tests.bench.report import Figure, absent, at_least
from tests.bench.writes import deployed

NAME = peer_reads.NAME
CONCURRENCY = (8, 32)
PROCESSES = (1, 2)
COMMANDS_GOAL = 1.2
ISSUE_PEER = {(1, 8): 205, (1, 32): 166, (2, 8): 278, (2, 32): 287}
"""The peer's commands/s in issue #19 (another machine of this kind), by (processes, clients)."""


def run(options: Options, bench: Bench) -> list[Figure]:
    try:
        python = peer_env.interpreter()
    except peer_env.Unavailable as why:
        return [absent(NAME, "the peer (Django 5 + django-fsm-2)", f"peer absent: {why}")]
    figures: list[Figure] = []
    for clients in CONCURRENCY:
        ours: dict[int, list[Run]] = {p: [] for p in PROCESSES}
        peer: dict[int, list[Run]] = {p: [] for p in PROCESSES}
        for repeat in range(options.repeats):
            for processes in PROCESSES:
                store = bench.store(f"vs{clients}x{processes}", db_pool_size=clients)
                target = peer_server.migrated(python, bench, f"{clients}x{processes}")
                for who in peer_reads.in_turn(repeat):
                    if who == "ours":
                        ours[processes].append(run_ours(options, store, processes, clients))
                    else:
                        peer[processes].append(run_peer(options, store, target, processes, clients))
        figures += commands_figures(ours, peer, clients)
    return figures + peer_reads.run(options, bench, python)


def loop(store: Settings, url: str, clients: int, seconds: float) -> Run:
    """The command mix against a server: a warm-up (pools, connections), then the run."""
    mix = HttpMix(store, url, clients)
    try:
        closed_loop(mix, clients, min(1.0, seconds))
        return closed_loop(mix, clients, seconds)
    finally:
        mix.close()


def run_ours(options: Options, store: Settings, processes: int, clients: int) -> Run:
    with deployed(store, processes, clients) as (url, _pids):
        return loop(store, url, clients, options.seconds)


def run_peer(
    options: Options, store: Settings, peer: peer_server.Peer, processes: int, clients: int
) -> Run:
    """The peer under the same mix; `store` only signs the tokens (the bench's secret)."""
    with peer_server.server(peer, processes, max(1, clients // processes)) as url:
        return loop(store, url, clients, options.seconds)


def commands_figures(
    ours: dict[int, list[Run]], peer: dict[int, list[Run]], clients: int
) -> list[Figure]:
    figures = []
    for processes in PROCESSES:
        at = f"{clients} clients, {processes} process{'es' if processes > 1 else ''}"
        for who, runs in (("ours (+ worker)", ours[processes]), ("peer", peer[processes])):
            rate = median([r.rate for r in runs])
            p99 = median([r.p99_ms for r in runs])
            note = errors(runs)
            if who == "peer":
                note = f"issue #19: {ISSUE_PEER[processes, clients]} {note}".strip()
            figures.append(Figure(NAME, f"commands, {who}, {at}", rate, "cmd/s", note=note))
            figures.append(Figure(NAME, f"  p99, {who}, {at}", p99, "ms"))
        ratios = [
            a.rate / b.rate for a, b in zip(ours[processes], peer[processes], strict=True) if b.rate
        ]
        goal = at_least(COMMANDS_GOAL) if (processes, clients) == (2, 32) else None
        figures.append(Figure(NAME, f"commands ours / peer, {at}", median(ratios), "×", goal))
    return figures


def errors(runs: list[Run]) -> str:
    failed = sum(r.errors for r in runs)
    said = next((r.first_error for r in runs if r.first_error), "")
    return f"errors {failed} {said[:100]}" if failed else ""
