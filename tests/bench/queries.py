"""Workload 5: read-model queries over HTTP on the generated history: the audit log by
secondment, by actor and date range, by commune; the secondment list with filters and with a
search without diacritics; one decision, one commune; every report. p50/p99 per query."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from projections.base import fold
from tests.bench import harness, histories
from tests.bench.harness import Bench
from tests.bench.loop import median, percentile, timed
from tests.bench.options import Options
from tests.bench.readside import present
from tests.bench.report import Figure, absent, at_most

NAME = "5 queries"
P99_TARGET_MS = 50.0
SINGLE = ("/v1/decisions", "/v1/communes/")
"""Lookups of one record, which answer 404 when a tiny history has no such record."""
Params = Callable[[random.Random], dict[str, Any]]


@dataclass(frozen=True)
class Samples:
    """Real values to query with, taken from the read models themselves."""

    ids: list[str]
    wards: list[int]
    provinces: list[int]
    decisions: list[str]
    names: list[str]
    today: str

    @staticmethod
    def of(http: httpx.Client) -> Samples:
        """Up to 1,500 secondments of the history (a tiny history may lack some kinds of
        value: then one that exists nowhere is used, and its lookups answer 404)."""
        items = []
        for state in ("reporting", "ended", "approved"):
            found = http.get("/v1/secondments", params={"state": state, "limit": 500})
            items += found.raise_for_status().json()["items"]
        today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()
        return Samples(
            ids=[i["id"] for i in items] or [str(uuid.UUID(int=0))],
            wards=sorted({i["ward_code"] for i in items if i.get("ward_code")}) or [3194],
            provinces=sorted({i["province_code"] for i in items}) or [11],
            decisions=sorted({i["decision_number"] for i in items if i.get("decision_number")})
            or ["0/QĐ-UBND"],
            names=[fold(i["full_name"]) for i in items] or ["dao duy hung"],
            today=today,
        )


def queries(s: Samples) -> dict[str, tuple[str, Params]]:
    """Each query: its path and how to draw its parameters."""
    day_before = (datetime.fromisoformat(s.today) - timedelta(days=1)).date().isoformat()
    return {
        "audit by secondment": ("/v1/audit", lambda r: {"secondment_id": r.choice(s.ids)}),
        "audit by actor + dates": (
            "/v1/audit",
            lambda r: {"actor": f"hr-{r.choice(s.provinces)}", "from": day_before, "to": s.today},
        ),
        "audit by commune": ("/v1/audit", lambda r: {"ward_code": r.choice(s.wards)}),
        "list: state+province+field": (
            "/v1/secondments",
            lambda r: {
                "state": "reporting",
                "province_code": r.choice(s.provinces),
                "field": "information_technology",
            },
        ),
        "list: q=Dao Duy Hung": ("/v1/secondments", lambda r: {"q": "Dao Duy Hung"}),
        "list: q=<random name>": ("/v1/secondments", lambda r: {"q": r.choice(s.names)}),
        "decision by number": ("/v1/decisions", lambda r: {"number": r.choice(s.decisions)}),
        "one commune": ("/v1/communes/{ward}", lambda r: {"ward": r.choice(s.wards)}),
        "report communes": ("/v1/reports/communes", lambda r: {}),
        "report agencies": ("/v1/reports/agencies", lambda r: {}),
        "report compliance": ("/v1/reports/compliance", lambda r: {}),
        "report deadlines 30 d": ("/v1/reports/deadlines", lambda r: {"within_days": 30}),
        "report difficulties": ("/v1/reports/difficulties", lambda r: {}),
    }


@dataclass(frozen=True)
class Latency:
    """One query's medians over the repeats, and how many items a sample of it returned."""

    p50_ms: float
    p99_ms: float
    items: int


def call(http: httpx.Client, path: str, params: dict[str, Any]) -> int:
    """One request; how many items it answered with (1 for a single record)."""
    if "{ward}" in path:
        path = path.format(ward=params.pop("ward"))
    response = http.get(path, params=params)
    if response.status_code == 404 and path.startswith(SINGLE):
        return 0
    body = response.raise_for_status().json()
    return len(body.get("items", [])) if "items" in body else 1


def sampled(
    http: httpx.Client, path: str, params: Params, rng: random.Random, n: int
) -> list[float]:
    """Latencies (ms) of `n` requests in a row, each with freshly drawn parameters."""
    return timed(lambda: call(http, path, params(rng)), n)


def latencies(history: histories.History, options: Options) -> dict[str, Latency]:
    """Per query: the p50 and p99 (ms) of each repeat, over a server on the history's store."""
    histories.read_models(history)
    store = history.settings
    found: dict[str, list[list[float]]] = {}
    items: dict[str, list[int]] = {}
    with harness.server(store) as url:
        http = harness.client(url, harness.bearer(store, "ministry"))
        try:
            chosen = queries(Samples.of(http))
            rng = random.Random(options.seed)
            for _ in range(options.repeats):
                for name, (path, params) in chosen.items():
                    items.setdefault(name, []).append(call(http, path, params(rng)))
                    sample = sampled(http, path, params, rng, options.samples)
                    found.setdefault(name, []).append(sample)
        finally:
            http.close()
    return {
        name: Latency(
            median([percentile(r, 0.5) for r in runs]),
            median([percentile(r, 0.99) for r in runs]),
            round(median([float(n) for n in items[name]])),
        )
        for name, runs in found.items()
    }


_measured: dict[tuple[int, str], dict[str, Latency]] = {}


def measured(history: histories.History, options: Options) -> dict[str, Latency]:
    """Memoised per history, so the growth workload reuses the full-size figures."""
    key = (history.events, history.settings.db_schema or "")
    if key not in _measured:
        _measured[key] = latencies(history, options)
    return _measured[key]


def run(options: Options, bench: Bench) -> list[Figure]:
    if not present():
        return [absent(NAME, "audit, list, search and report queries")]
    history = histories.history(bench, options.events, options.seed)
    found = measured(history, options)
    figures = []
    for name, q in found.items():
        note = f"{history.events:,} events, {q.items} items"
        figures.append(Figure(NAME, f"{name} p50", q.p50_ms, "ms", note=note))
        figures.append(Figure(NAME, f"{name} p99", q.p99_ms, "ms", at_most(P99_TARGET_MS)))
    return figures
