"""Workloads measured against their ceilings in one run: in-process commands (the library's
ceiling) and single-row INSERT + COMMIT with psycopg (the storage ceiling)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import psycopg

from domain.application import SecondmentRegistry
from domain.values import Field, ReportKind, Term
from tests import builders
from tests.bench.loop import Run, closed_loop, median_run

WEEK = Term(date(2025, 10, 20), date(2025, 10, 26))


class Steps:
    """Each client's place in the mix: the next step, and the week its next report covers (its
    secondment's own count, so that no period is reported twice however runs and warm-ups cut
    the cycle); after a failed command the client starts again with a new request, instead of
    sending the rest of a cycle to a secondment in the wrong state."""

    ORDER = ("request", "approve", "deploy", "report", "report", "report", "difficulty", "report")

    def __init__(self, clients: int) -> None:
        self.at = [0] * clients
        self.weeks = [0] * clients

    def next(self, client: int) -> tuple[str, Term]:
        step = self.ORDER[self.at[client]]
        self.at[client] = (self.at[client] + 1) % len(self.ORDER)
        if step == "request":
            self.weeks[client] = 0
        start = WEEK.start + timedelta(days=7 * self.weeks[client])
        if step == "report":
            self.weeks[client] += 1
        return step, Term(start, start + timedelta(days=6))

    def failed(self, client: int) -> None:
        self.at[client] = 0


class CommandMix:
    """A realistic mix of lifecycle commands, each client on secondments of its own: a request,
    then approve, deploy, weekly reports and an occasional difficulty, then the next one."""

    def __init__(self, app: SecondmentRegistry, clients: int) -> None:
        self.app = app
        self.current: list[Any] = [None] * clients
        self.steps = Steps(clients)

    def __call__(self, client: int, n: int) -> None:
        step, period = self.steps.next(client)
        try:
            self._run(client, step, period)
        except Exception:
            self.steps.failed(client)
            raise

    def _run(self, client: int, step: str, period: Term) -> None:
        app, sid = self.app, self.current[client]
        if step == "request":
            self.current[client] = builders.request(app).secondment.id
        elif step == "approve":
            app.approve(sid, builders.meta(), builders.DECISION_2446, builders.TERM)
        elif step == "deploy":
            app.deploy(sid, builders.meta(), date(2025, 10, 21))
        elif step == "report":
            app.submit_report(sid, builders.meta(), ReportKind.PROGRESS, period, "Báo cáo tuần")
        else:
            field = Field.INFORMATION_TECHNOLOGY
            app.raise_difficulty(sid, builders.meta(), "Thiếu máy", "", field)


def in_process(app: SecondmentRegistry, clients: int, seconds: float, repeats: int) -> Run:
    runs = [closed_loop(CommandMix(app, clients), clients, seconds) for _ in range(repeats)]
    return median_run(runs)


def insert_commit(url: str, clients: int, seconds: float, repeats: int) -> Run:
    """Single-row INSERT + COMMIT per operation, one connection per client."""
    table = f"bench_ceiling_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {table} (id bigserial PRIMARY KEY, body jsonb)")
    connections = [psycopg.connect(url) for _ in range(clients)]

    def insert(client: int, n: int) -> None:
        conn = connections[client]
        with conn.transaction():
            conn.execute(f"INSERT INTO {table} (body) VALUES (%s)", ('{"k": 1}',))

    try:
        return median_run([closed_loop(insert, clients, seconds) for _ in range(repeats)])
    finally:
        for conn in connections:
            conn.close()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP TABLE {table}")
