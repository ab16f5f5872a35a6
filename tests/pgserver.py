"""Finds the machine's PostgreSQL server, or starts it; fails loudly when neither works."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import time

import psycopg

HOST = os.environ.get("SECONDMENTS_TEST_PG_HOST", "127.0.0.1")
PORT = int(os.environ.get("SECONDMENTS_TEST_PG_PORT", "5432"))
USERS = [u for u in (os.environ.get("SECONDMENTS_TEST_PG_USER"), "postgres", "root") if u]
DATABASES = ("postgres", "test")


class PostgresUnavailable(RuntimeError):
    """Raised when no PostgreSQL server can be reached or started."""


def _try_connect() -> str | None:
    for user in USERS:
        for dbname in DATABASES:
            url = f"postgresql://{user}@{HOST}:{PORT}/{dbname}"
            try:
                with psycopg.connect(url, connect_timeout=3) as conn:
                    conn.execute("SELECT 1")
                return url
            except psycopg.OperationalError:
                continue
    return None


def _start_cluster() -> str:
    if shutil.which("pg_ctlcluster") is None:
        return "pg_ctlcluster not found"
    versions = sorted(os.path.basename(p) for p in glob.glob("/etc/postgresql/*"))
    if not versions:
        return "no cluster under /etc/postgresql"
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return (done.stdout + done.stderr).strip() or "started"


def admin_url(start: bool = True) -> str:
    """A URL with rights to create databases: found, or (with `start`) found after starting the
    server."""
    url = _try_connect()
    if url:
        return url
    if not start:
        raise PostgresUnavailable(f"PostgreSQL refuses connections at {HOST}:{PORT} as {USERS}")
    said = _start_cluster()
    for _ in range(30):
        url = _try_connect()
        if url:
            return url
        time.sleep(0.5)
    raise PostgresUnavailable(
        f"PostgreSQL is not reachable at {HOST}:{PORT} as {USERS} and could not be started ({said})"
    )


def create_database(url: str, name: str) -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(url: str, name: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class ThrowawayServer:
    """A PostgreSQL server of the test's own (own data directory and port), to stop and restart
    at will; never the machine's shared server."""

    def __init__(self, base_dir: str, port: int) -> None:
        self.data_dir = os.path.join(base_dir, "pgdata")
        self.port = port
        self.bin_dir = _bin_dir()

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [*prefix, *command],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )

    def init(self) -> ThrowawayServer:
        os.makedirs(self.data_dir, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(os.path.dirname(self.data_dir), "postgres")
            shutil.chown(self.data_dir, "postgres")
        self._as_postgres(
            os.path.join(self.bin_dir, "initdb"),
            "-D",
            self.data_dir,
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
        )
        return self

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data_dir} -c fsync=off"
        log_file = os.path.join(self.data_dir, "server.log")
        pg_ctl = os.path.join(self.bin_dir, "pg_ctl")
        self._as_postgres(pg_ctl, "-D", self.data_dir, "-o", options, "-l", log_file, "-w", "start")

    def stop(self, mode: str = "immediate") -> None:
        self._as_postgres(
            os.path.join(self.bin_dir, "pg_ctl"), "-D", self.data_dir, "-m", mode, "-w", "stop"
        )


def _bin_dir() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise PostgresUnavailable("no PostgreSQL server binaries under /usr/lib/postgresql")
    return os.path.dirname(found[-1])
