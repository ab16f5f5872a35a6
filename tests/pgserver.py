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


def admin_url() -> str:
    """A URL with rights to create databases: found, or found after starting the server."""
    url = _try_connect()
    if url:
        return url
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
