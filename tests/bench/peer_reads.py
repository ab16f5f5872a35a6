"""The reads of workload "peer": the list by province + state and one record's trail, over HTTP
from one client, ours (one API process on the generated history's store, read models caught up,
as workload 7 reads it) and the peer's (one gunicorn worker on as many records and trail rows,
bulk-loaded by its `load_peer` command) alternating inside each repeat."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import psycopg

from tests.bench import harness, histories, peer_server
from tests.bench.harness import Bench, Plain
from tests.bench.loop import Run, closed_loop, median
from tests.bench.options import Options
from tests.bench.readside import present
from tests.bench.report import Figure, absent, at_most

NAME = "9 ours / peer"
READS = ("list by province + state", "one record's audit trail")
ISSUE_PEER_MS = {READS[0]: 3.75, READS[1]: 2.9}
"""The peer's p50 in issue #19 (50k records for the list; another machine of this kind)."""
Paths = dict[str, Callable[[random.Random], str]]


def in_turn(repeat: int) -> tuple[str, str]:
    """Who reads first in a repeat: ours and the peer take turns, so that neither is always the
    one that meets a change in the machine's load first."""
    return ("ours", "peer") if repeat % 2 == 0 else ("peer", "ours")


def paths(ids: list[str], provinces: list[int]) -> Paths:
    return {
        READS[0]: lambda r: f"/v1/secondments?province_code={r.choice(provinces)}&state=reporting",
        READS[1]: lambda r: f"/v1/secondments/{r.choice(ids)}/events",
    }


def ours_paths(reader: Plain) -> Paths:
    """Reporting records of ours (as workload 7 draws them)."""
    items = reader.call("GET", "/v1/secondments?state=reporting&limit=500")["items"]
    ids = [i["id"] for i in items] or ["00000000-0000-0000-0000-000000000000"]
    return paths(ids, sorted({i["province_code"] for i in items}) or [11])


def peer_paths(peer: peer_server.Peer, seed: int) -> Paths:
    """500 reporting records of the peer's, drawn from its table."""
    with psycopg.connect(peer.url, autocommit=True) as conn:
        rows = conn.execute(
            f"SELECT id, province_code FROM {peer.table('secondment')} WHERE state = 'reporting'"
        ).fetchall()
    rows = random.Random(seed).sample(rows, min(500, len(rows))) or [(0, 11)]
    return paths([str(i) for i, _ in rows], sorted({p for _, p in rows}))


def measure(reader: Plain, read: Callable[[random.Random], str], seed: int, seconds: float) -> Run:
    rng = random.Random(seed)

    def operation(client: int, n: int) -> None:
        reader.call("GET", read(rng))

    closed_loop(operation, 1, min(0.5, seconds / 4))
    done = closed_loop(operation, 1, seconds)
    if done.errors:
        raise RuntimeError(done.first_error)
    return done


def run(options: Options, bench: Bench, python: Path) -> list[Figure]:
    if not present():
        return [absent(NAME, "list and trail beside the peer")]
    history = histories.history(bench, options.events, options.seed)
    histories.read_models(history)
    store = history.settings
    peer = peer_server.migrated(python, bench, "reads")
    loaded = peer_server.load(peer, history.secondments, history.events, options.seed)
    runs: dict[tuple[str, str], list[Run]] = {}
    ministry = harness.bearer(store, "ministry")
    with harness.server(store) as ours_url, peer_server.server(peer, 1, 4) as peer_url:
        readers = {"ours": Plain(ours_url, ministry), "peer": Plain(peer_url, ministry)}
        try:
            chosen = {"ours": ours_paths(readers["ours"]), "peer": peer_paths(peer, options.seed)}
            for repeat in range(options.repeats):
                for name in READS:
                    for who in in_turn(repeat):
                        read = chosen[who][name]
                        done = measure(readers[who], read, options.seed, options.seconds)
                        runs.setdefault((who, name), []).append(done)
        finally:
            for reader in readers.values():
                reader.close()
    note = f"ours {history.secondments:,} records, {history.events:,} events; peer {loaded}"
    return figures_of(runs, note)


def figures_of(runs: dict[tuple[str, str], list[Run]], note: str) -> list[Figure]:
    figures = []
    for name in READS:
        for who in ("ours", "peer"):
            found = runs[who, name]
            said = f"issue #19: {ISSUE_PEER_MS[name]} ms" if who == "peer" else note
            p50 = median([r.p50_ms for r in found])
            figures.append(Figure(NAME, f"{name} p50, {who}", p50, "ms", note=said))
            p99 = median([r.p99_ms for r in found])
            figures.append(Figure(NAME, f"{name} p99, {who}", p99, "ms"))
        pairs = zip(runs["ours", name], runs["peer", name], strict=True)
        ratio = median([a.p50_ms / b.p50_ms for a, b in pairs if b.p50_ms])
        figures.append(Figure(NAME, f"{name} p50 ours / peer", ratio, "×", at_most(1.0)))
    return figures
