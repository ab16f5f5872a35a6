"""Losing the database under load: `secondments serve` and `secondments worker` on a PostgreSQL
server of the test's own, which is stopped (immediate) while clients keep sending commands.

While it is down every request fails fast (503 problem+json with Retry-After, within a few
seconds, never a hang or a 500); once it is back both processes recover without a restart, and
every command acknowledged with a 2xx is in the event store and in the read models."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.settings import Settings, open_registry
from tests.api.helpers import BODIES, secondment_body
from tests.pgserver import ThrowawayServer
from tests.reliability import processes
from tests.reliability.processes import token, until

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
CLIENTS = 4
CONNECT_TIMEOUT = 2
CLIENT_TIMEOUT = 30.0
FAST_ENOUGH = 12.0
"""Seconds a request may take while the database is down (bounded near 3 s; the machine is
shared, so the bound is generous, yet far below the library's own ~50 s of retries)."""
MINISTRY = token("ministry")


@dataclass(frozen=True)
class Outcome:
    started: float
    elapsed: float
    status: int | None
    body: dict[str, Any] | None
    headers: dict[str, str]
    error: str | None = None


@pytest.fixture
def postgres() -> Iterator[ThrowawayServer]:
    base = tempfile.mkdtemp(prefix="secondments-outage-")
    os.chmod(base, 0o755)
    server = ThrowawayServer(base, processes.free_port()).init()
    server.start()
    try:
        yield server
    finally:
        with contextlib.suppress(Exception):
            server.stop("immediate")
        shutil.rmtree(base, ignore_errors=True)


class Load:
    """Clients that each request a secondment and approve it, over and over, and keep every
    outcome."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.outcomes: list[Outcome] = []
        self.stopping = threading.Event()
        self.guard = threading.Lock()
        self.threads = [threading.Thread(target=self._client) for _ in range(CLIENTS)]

    def __enter__(self) -> Load:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=CLIENT_TIMEOUT * 3)
        assert not any(t.is_alive() for t in self.threads), "a client hung"

    def _send(self, client: httpx.Client, path: str, body: dict[str, Any]) -> Outcome:
        started = time.monotonic()
        try:
            r = client.post(path, json=body, headers=MINISTRY)
        except httpx.HTTPError as e:
            return Outcome(started, time.monotonic() - started, None, None, {}, repr(e))
        outcome = Outcome(
            started, time.monotonic() - started, r.status_code, r.json(), dict(r.headers)
        )
        with self.guard:
            self.outcomes.append(outcome)
        return outcome

    def _client(self) -> None:
        with httpx.Client(base_url=self.url, timeout=CLIENT_TIMEOUT) as client:
            while not self.stopping.is_set():
                created = self._send(client, "/v1/secondments", secondment_body())
                if created.status == 201 and created.body:
                    self._send(
                        client, f"/v1/secondments/{created.body['id']}/approve", BODIES["approve"]
                    )
                if created.status != 201:
                    time.sleep(0.05)

    def acknowledged(self) -> list[Outcome]:
        with self.guard:
            return [o for o in self.outcomes if o.status is not None and 200 <= o.status < 300]

    def since(self, moment: float) -> list[Outcome]:
        with self.guard:
            return [o for o in self.outcomes if o.started >= moment]


def _ready(url: str) -> int:
    try:
        return httpx.get(f"{url}/readyz", timeout=CLIENT_TIMEOUT).status_code
    except httpx.HTTPError:
        return 0


def test_the_database_goes_away_and_comes_back(postgres: ThrowawayServer, tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "var", database_url=postgres.url, db_connect_timeout=CONNECT_TIMEOUT
    )
    env = processes.environment(settings, SECONDMENTS_PROJECTION_POLL_SECONDS="0.1")
    with (
        processes.serving(env, tmp_path / "serve.log") as url,
        processes.working(env, tmp_path / "worker.log") as worker,
    ):
        with Load(url) as load:
            until(lambda: len(load.acknowledged()) >= 20, timeout=60)
            _read_models(url, load.acknowledged())
            postgres.stop("immediate")
            down_at = time.monotonic()
            time.sleep(8)
            ready_while_down = _ready(url)
            restart_at = time.monotonic()
            postgres.start()
            up_at = time.monotonic()
            until(lambda: any(o.status == 201 for o in load.since(up_at)), timeout=60)
            recovered_in = time.monotonic() - up_at
            time.sleep(2)
        assert worker.popen.poll() is None, "the worker died with the database"
        listed = _read_models(url, load.acknowledged())

    assert ready_while_down == 503
    outcomes = load.outcomes
    assert all(o.error is None for o in outcomes), [o.error for o in outcomes if o.error]
    assert {o.status for o in outcomes} <= {200, 201, 503}, {o.status for o in outcomes}
    while_down = [o for o in load.since(down_at + 0.5) if o.started + o.elapsed < restart_at]
    assert len(while_down) >= CLIENTS, while_down
    assert all(o.status == 503 for o in while_down), [o for o in while_down if o.status != 503]
    for o in (o for o in outcomes if o.status == 503):
        assert o.headers["content-type"].startswith("application/problem+json")
        assert int(o.headers["retry-after"]) > 0
        assert o.body is not None and o.body["status"] == 503
        assert o.elapsed < FAST_ENOUGH, o
    assert recovered_in < 30
    _assert_stored(settings, load.acknowledged(), listed)


def _read_models(url: str, acknowledged: list[Outcome]) -> dict[str, dict[str, Any]]:
    """The read models' list once they have processed every acknowledged command (asked again
    while they answer 503: catching up, or a pooled connection that died with the server)."""
    last = max(o.body["position"] for o in acknowledged if o.body)
    answers: list[httpx.Response] = []

    def listed() -> bool:
        answers.append(
            httpx.get(
                f"{url}/v1/secondments",
                params={"min_position": last, "limit": 500},
                headers=MINISTRY,
                timeout=CLIENT_TIMEOUT,
            )
        )
        assert answers[-1].status_code in (200, 503), answers[-1].text
        return answers[-1].status_code == 200

    until(listed, timeout=60, every=0.5)
    return {item["id"]: item for item in answers[-1].json()["items"]}


def _assert_stored(
    settings: Settings, acknowledged: list[Outcome], listed: dict[str, dict[str, Any]]
) -> None:
    registry = open_registry(settings)
    try:
        for o in acknowledged:
            assert o.body is not None
            sid, version = o.body["id"], o.body["version"]
            stored = list(registry.events.get(uuid.UUID(sid), lte=version))
            assert stored and stored[-1].originator_version == version, o
            assert sid in listed, f"acknowledged but not in the read models: {sid}"
            assert listed[sid]["version"] >= version
    finally:
        registry.close()
