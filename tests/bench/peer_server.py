"""The peer as the bench runs it: a schema of its own in the bench database (created by
`manage.py migrate`), a bulk load for the reads, and gunicorn (gthread) with N workers on a free
port, all in the peer's own virtualenv (tests.bench.peer_env)."""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.bench import harness
from tests.bench.harness import Bench
from tests.bench.peer_env import PEER_DIR

MANAGE_SECONDS = 3600


@dataclass(frozen=True)
class Peer:
    """The peer's interpreter and the database schema it uses."""

    python: Path
    url: str
    schema: str
    secret: str

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SECONDMENTS_", "PEER_"))}
        env.update(
            PEER_DATABASE_URL=self.url,
            PEER_DB_SCHEMA=self.schema,
            PEER_JWT_SECRET=self.secret,
            DJANGO_SETTINGS_MODULE="peer_site.settings",
        )
        return env

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [str(self.python), "manage.py", *args],
            cwd=PEER_DIR,
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=MANAGE_SECONDS,
        )
        if done.returncode != 0:
            raise RuntimeError(f"peer manage.py {args[0]}: {done.stderr.strip()[-1500:]}")
        return done.stdout.strip()

    def table(self, name: str) -> str:
        return f'"{self.schema}".registry_{name}'


def migrated(python: Path, bench: Bench, label: str) -> Peer:
    """A fresh schema for the peer in the bench database, with its tables."""
    schema = f"peer_{label}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(bench.url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    peer = Peer(python, bench.url, schema, bench.secret)
    peer.manage("migrate", "--verbosity", "0")
    return peer


def load(peer: Peer, records: int, events: int, seed: int) -> str:
    """Bulk-loads `records` secondments with about `events` trail rows; what it loaded."""
    return peer.manage(
        "load_peer", "--records", str(records), "--events", str(events), "--seed", str(seed)
    )


@contextmanager
def server(peer: Peer, workers: int, threads: int) -> Iterator[str]:
    """gunicorn (gthread, `workers` processes of `threads` threads) on a free port; yields its
    base URL once /healthz answers."""
    port = harness.free_port()
    args = [str(peer.python), "-m", "gunicorn", "peer_site.wsgi:application"]
    args += ["--worker-class", "gthread", "--workers", str(workers), "--threads", str(threads)]
    args += ["--bind", f"127.0.0.1:{port}", "--keep-alive", "5", "--log-level", "warning"]
    args += ["--no-control-socket"]  # one socket per user by default: two servers would share it
    url = f"http://127.0.0.1:{port}"
    # stderr to a file, not a pipe: a pipe nobody reads would stall a chatty server
    with tempfile.TemporaryFile() as said:
        child = subprocess.Popen(
            args, cwd=PEER_DIR, env=peer.environment(), stdout=subprocess.DEVNULL, stderr=said
        )
        try:
            try:
                harness.wait_ready(child, f"{url}/healthz")
            except RuntimeError as failed:
                said.seek(0)
                tail = said.read()[-2000:].decode(errors="replace")
                raise RuntimeError(f"{failed}: {tail}") from None
            yield url
        finally:
            child.terminate()
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
