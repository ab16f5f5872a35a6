"""What the workloads stand on: a database of the bench's own, a schema per store, settings,
the real server (`secondments serve`) and worker as subprocesses, and tokens."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import psycopg

from api.auth import mint_token
from api.settings import Settings, open_registry
from domain.application import SecondmentRegistry
from tests import pgserver

COMMAND = Path(sys.executable).parent / "secondments"


@dataclass(frozen=True)
class Bench:
    """One bench run's database (created and dropped by the run), data directory and secret."""

    url: str
    data_dir: Path
    secret: str

    def store(self, label: str, **overrides: Any) -> Settings:
        """Settings for a fresh store: a schema of its own in the bench database."""
        schema = f"{label}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        values: dict[str, Any] = {
            "data_dir": self.data_dir / schema,
            "database_url": self.url,
            "db_schema": schema,
            "jwt_secret": self.secret,
            "log_level": "WARNING",
            **overrides,
        }
        return Settings(**values)

    def sqlite_store(self, label: str, **overrides: Any) -> Settings:
        """Settings for a fresh SQLite store (a data directory of its own)."""
        values: dict[str, Any] = {
            "data_dir": self.data_dir / f"{label}_{uuid.uuid4().hex[:6]}",
            "jwt_secret": self.secret,
            "log_level": "WARNING",
            **overrides,
        }
        return Settings(**values)


@contextmanager
def bench_database() -> Iterator[Bench]:
    """A database `bench_<pid>` on the server for this run; dropped afterwards. The bench
    measures a server that runs: it never starts one."""
    admin = pgserver.admin_url(start=False)
    name = f"bench_{os.getpid()}"
    url = pgserver.create_database(admin, name)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        try:
            yield Bench(url, Path(tmp), uuid.uuid4().hex + uuid.uuid4().hex)
        finally:
            pgserver.drop_database(admin, name)


@contextmanager
def registry(settings: Settings, **overrides: Any) -> Iterator[SecondmentRegistry]:
    app = open_registry(settings.model_copy(update=overrides))
    try:
        yield app
    finally:
        app.close()


def environment(settings: Settings) -> dict[str, str]:
    """The process environment that gives a subprocess these settings (SECONDMENTS_*)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECONDMENTS_")}
    for name, value in settings.model_dump().items():
        if value is not None:
            env[f"SECONDMENTS_{name.upper()}"] = str(value)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def process(args: Sequence[str], settings: Settings) -> Iterator[subprocess.Popen[bytes]]:
    """A `secondments` subprocess on these settings; stopped with SIGTERM (then SIGKILL)."""
    child = subprocess.Popen(
        [str(COMMAND), *args],
        env=environment(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield child
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()


@contextmanager
def server(settings: Settings, workers: int = 1) -> Iterator[str]:
    """`secondments serve` (with `workers` processes) on a free port; yields its base URL once
    /readyz answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with process(args, settings) as child:
        wait_ready(child, f"{url}/readyz")
        yield url


READY_SECONDS = 90
"""How long a server may take to answer after its start: about 8 s on the shared 2-core machine
under other engineers' benches, and more than 30 s in three starts of about forty there (a
server that exits is seen at once, whatever this is)."""


def wait_ready(child: subprocess.Popen[bytes], url: str, seconds: float = READY_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if child.poll() is not None:
            said = child.stderr.read().decode(errors="replace") if child.stderr else ""
            raise RuntimeError(f"the server exited ({child.returncode}): {said[-2000:]}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not become ready in {seconds} s")


def bearer(settings: Settings, role: str, **claims: Any) -> dict[str, str]:
    token = mint_token(settings, {"sub": f"bench-{role}", "role": role, **claims}, hours=6)
    return {"Authorization": f"Bearer {token}"}


class Plain:
    """One keep-alive HTTP/1.1 connection through the standard library: a lighter load
    generator than httpx, so that it takes less of the machine's cores from the server."""

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        where = urlsplit(base_url)
        self.conn = http.client.HTTPConnection(where.hostname or "", where.port, timeout=30)
        self.headers = headers

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        sent = {**self.headers, **(headers or {})}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=data, headers=sent)
            response = self.conn.getresponse()
            payload = response.read()
        except Exception:
            self.conn.close()  # the next call reconnects
            raise
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: {response.status} {payload[:300]!r}")
        if not payload:
            return None
        json_body = "json" in (response.getheader("content-type") or "")
        return json.loads(payload) if json_body else payload

    def close(self) -> None:
        self.conn.close()


def client(base_url: str, headers: dict[str, str]) -> httpx.Client:
    """One keep-alive connection's worth of client, for one thread."""
    return httpx.Client(base_url=base_url, headers=headers, timeout=30)
