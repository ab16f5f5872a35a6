"""What the `secondments` command says when it cannot start: one line naming what failed and
what to check, for a database that refuses connections, a wrong URL or a bad setting."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from urllib.parse import urlparse

import psycopg
from eventsourcing.persistence import PersistenceError
from pydantic import ValidationError

CHECK_POSTGRES = (
    "check SECONDMENTS_DATABASE_URL (host, port, database, user, password) and that PostgreSQL "
    "is running and accepts connections from here"
)
CHECK_SQLITE = "check that SECONDMENTS_DATA_DIR is a writable directory with free space"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        yield current
        current = current.__cause__ or current.__context__


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text.removeprefix("connection failed: ")


def _where(url: str | None) -> str:
    """host:port/database of a PostgreSQL URL, never its user or password."""
    parsed = urlparse(url or "")
    return f"{parsed.hostname or '127.0.0.1'}:{parsed.port or 5432}{parsed.path or ''}"


def _setting(error: ValidationError) -> str:
    first = error.errors()[0]
    name = "SECONDMENTS_" + "_".join(str(part) for part in first["loc"]).upper()
    return f"the setting {name} is not valid: {first['msg']}"


def explain(exc: BaseException, database_url: str | None) -> str | None:
    """One line for a failure to reach or configure the store; None for anything else."""
    for link in _chain(exc):
        if isinstance(link, ValidationError):
            return f"{_setting(link)}; check the environment"
        if isinstance(link, psycopg.Error):
            where = _where(database_url)
            return f"cannot use PostgreSQL at {where}: {_first_line(link)}; {CHECK_POSTGRES}"
        if isinstance(link, sqlite3.Error | OSError) and not database_url:
            return f"cannot use the SQLite store: {_first_line(link)}; {CHECK_SQLITE}"
    if any(isinstance(link, PersistenceError) for link in _chain(exc)):
        return f"the event store failed: {_first_line(exc)}; {CHECK_POSTGRES}"
    return None
