"""Workload 1: lifecycle commands over HTTP (the real server) beside their ceilings, in one run:
the same mix in-process, a trivial endpoint on the same server, and INSERT + COMMIT."""

from __future__ import annotations

from typing import Any

from api.settings import Settings
from domain.values import Term
from tests.api.helpers import BODIES, secondment_body
from tests.bench import ceilings, harness
from tests.bench.harness import Bench
from tests.bench.loop import Run, closed_loop, median
from tests.bench.options import Options
from tests.bench.report import Figure, at_least

NAME = "1 commands"
CONCURRENCY = (8, 32)


class HttpMix:
    """The in-process mix (ceilings.CommandMix) over HTTP: a ministry token for the decisions,
    the seconded official's own token for the reports; each client on its own secondments."""

    def __init__(self, settings: Settings, base_url: str, clients: int) -> None:
        self.settings = settings
        ministry = harness.bearer(settings, "ministry")
        self.http = [harness.Plain(base_url, ministry) for _ in range(clients)]
        self.current: list[tuple[str, dict[str, str]]] = [("", {})] * clients
        self.steps = ceilings.Steps(clients)

    def __call__(self, client: int, n: int) -> int:
        """The client's next command; returns the event's position in the log."""
        step, period = self.steps.next(client)
        try:
            return self._run(client, step, period)
        except Exception:
            self.steps.failed(client)
            raise

    def _run(self, client: int, step: str, period: Term) -> int:
        http = self.http[client]
        sid, official = self.current[client]
        if step == "request":
            body = secondment_body()
            created = self._post(http, "/v1/secondments", body)
            pid = body["official"]["personnel_id"]
            token = harness.bearer(self.settings, "official", personnel_id=pid)
            self.current[client] = (created["id"], token)
            return int(created["position"])
        if step in ("approve", "deploy"):
            done = self._post(http, f"/v1/secondments/{sid}/{step}", BODIES[step])
        elif step == "report":
            body = {**BODIES["reports"], "kind": "progress"}
            body["period_start"] = period.start.isoformat()
            body["period_end"] = period.end.isoformat()
            done = self._post(http, f"/v1/secondments/{sid}/reports", body, official)
        else:
            done = self._post(http, f"/v1/secondments/{sid}/difficulties", BODIES["difficulties"])
        return int(done["position"])

    @staticmethod
    def _post(
        http: harness.Plain, path: str, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> Any:
        return http.call("POST", path, body, headers)

    def close(self) -> None:
        for http in self.http:
            http.close()


def healthz(base_url: str, clients: int) -> tuple[Any, list[harness.Plain]]:
    http = [harness.Plain(base_url, {}) for _ in range(clients)]

    def call(client: int, n: int) -> None:
        http[client].call("GET", "/healthz")

    return call, http


def run(options: Options, bench: Bench) -> list[Figure]:
    figures: list[Figure] = []
    for clients in CONCURRENCY:
        store = bench.store(f"cmd{clients}", db_pool_size=clients, db_max_overflow=0)
        figures += at_concurrency(options, store, clients, "PostgreSQL")
        figures += at_concurrency(options, store, clients, "PostgreSQL", workers=API_PROCESSES)
    sqlite = bench.sqlite_store("cmdsqlite", run_projections=False)
    return figures + at_concurrency(options, sqlite, CONCURRENCY[0], "SQLite")


API_PROCESSES = 2
"""The machine's cores: one Python process uses about one (the interpreter's lock)."""


def at_concurrency(
    options: Options, store: Settings, clients: int, db: str, workers: int = 1
) -> list[Figure]:
    """Each repeat runs HTTP, in-process, /healthz and (on PostgreSQL) INSERT + COMMIT back to
    back, so that every ratio compares runs made side by side (with several API processes, HTTP
    and in-process only). The in-process application is opened for its run only: with the
    server's pools and the INSERT connections, the bench stays within PostgreSQL's
    max_connections (100 by default) at 32 clients."""
    runs: dict[str, list[Run]] = {"http": [], "in": [], "healthz": [], "insert": []}
    seconds = options.seconds
    served = store
    if workers > 1:
        served = store.model_copy(update={"db_pool_size": clients // workers + 2})
    with harness.server(served, workers) as base_url:
        mix = HttpMix(store, base_url, clients)
        health, health_clients = healthz(base_url, clients)
        try:
            for _ in range(options.repeats):
                mix.close()  # fresh connections: the server drops idle ones after 5 s
                runs["http"].append(closed_loop(mix, clients, seconds))
                with harness.registry(store) as app:
                    runs["in"].append(ceilings.in_process(app, clients, seconds, 1))
                if workers > 1:
                    continue
                for c in health_clients:
                    c.close()
                runs["healthz"].append(closed_loop(health, clients, seconds))
                if store.database_url:
                    insert = ceilings.insert_commit(store.database_url, clients, seconds, 1)
                    runs["insert"].append(insert)
        finally:
            mix.close()
            for c in health_clients:
                c.close()
    processes = f", {workers} API processes" if workers > 1 else ""
    return figures_of(runs, f"{clients} clients, {db}{processes}")


def figures_of(runs: dict[str, list[Run]], at: str) -> list[Figure]:
    def rate(kind: str) -> float:
        return median([r.rate for r in runs[kind]])

    def ratio(a: str, b: str) -> float:
        return median([x.rate / y.rate for x, y in zip(runs[a], runs[b], strict=True) if y.rate])

    http = runs["http"]
    errors = sum(r.errors for r in http)
    said = next((r.first_error for r in http if r.first_error), "")
    failures = f"errors {errors} {said[:120]}".strip()
    figures = [
        Figure(NAME, f"HTTP mix, {at}", rate("http"), "cmd/s", note=failures),
        Figure(NAME, f"HTTP mix p50, {at}", median([r.p50_ms for r in http]), "ms"),
        Figure(NAME, f"HTTP mix p99, {at}", median([r.p99_ms for r in http]), "ms"),
        Figure(NAME, f"in-process mix, {at}", rate("in"), "cmd/s"),
        Figure(NAME, f"HTTP / in-process, {at}", ratio("http", "in"), "×", at_least(0.7)),
    ]
    if runs["healthz"]:
        figures += [
            Figure(NAME, f"GET /healthz, {at}", rate("healthz"), "req/s", note="HTTP ceiling"),
            Figure(NAME, f"HTTP / healthz, {at}", ratio("http", "healthz"), "×"),
        ]
    if runs["insert"]:
        figures += [
            Figure(NAME, f"INSERT+COMMIT, {at}", rate("insert"), "rows/s", note="storage ceiling"),
            Figure(NAME, f"in-process / INSERT, {at}", ratio("in", "insert"), "×"),
        ]
    return figures
