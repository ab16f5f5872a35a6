"""The HTTP layer's own small tables, kept in the event store's database (SQLite file or schema)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from functools import wraps
from time import sleep
from typing import Any, TypeVar

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError

from domain.application import SecondmentRegistry

LIBRARY_ATTEMPTS = 10
"""eventsourcing's PostgreSQL recorder tries each call this often on a connection error (a
pool that had no free connection within its per-attempt timeout included)."""
LIBRARY_PAUSE = 0.2
"""Seconds it sleeps between those attempts."""

R = TypeVar("R")


def _as_the_library(call: Callable[..., R]) -> Callable[..., R]:
    """Tries `call` again on a connection error, as often and as slowly as the library's own
    recorder calls do; a statement cancelled by its timeout is not tried again (it would only
    run as long once more)."""

    @wraps(call)
    def tried(*args: Any, **kwargs: Any) -> R:
        for _ in range(LIBRARY_ATTEMPTS - 1):
            try:
                return call(*args, **kwargs)
            except (InterfaceError, OperationalError) as error:
                if isinstance(error.__cause__, psycopg.errors.QueryCanceled):
                    raise
                sleep(LIBRARY_PAUSE)
        return call(*args, **kwargs)

    return tried


class Database:
    """Runs statements on the store's datastore; `?` placeholders, tables named by `table()`."""

    def __init__(self, registry: SecondmentRegistry) -> None:
        recorder: Any = registry.recorder
        self.datastore: Any = recorder.datastore
        self.postgres = not type(recorder).__module__.endswith("sqlite")
        self.schema: str = getattr(self.datastore, "schema", "") or "public"

    def table(self, name: str) -> str:
        return f'"{self.schema}".{name}' if self.postgres else name

    @_as_the_library
    def execute(self, statement: str, params: Sequence[Any] = ()) -> int:
        """Runs a statement and commits it; the number of rows it changed. Like the library's
        own calls on the same pool, it tries again on a connection error: the pool's timeout
        is one attempt's share of `db_connect_timeout` (`api.settings.bound_waits`), so a
        single try would give up in a fraction of a second under load."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self._dialect(statement), tuple(params))
            inner = getattr(cursor, "sqlite_cursor", cursor)
            return int(inner.rowcount)

    @_as_the_library
    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        """Rows of a SELECT, each addressable by column name (tried again as `execute` is)."""
        return self._query(statement, params)

    def _query(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._dialect(statement), tuple(params))
            return list(cursor.fetchall())

    def _dialect(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    def ping(self) -> bool:
        """Whether the database answers now: one try, so that a readiness probe is answered
        within one attempt's wait."""
        try:
            return bool(self._query("SELECT 1 AS ok")[0]["ok"] == 1)
        except Exception:
            return False

    def erase(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
        """Runs deletions so that nothing of the deleted rows stays readable in the files:
        on SQLite with secure_delete (freed cells are zeroed) and then a WAL checkpoint that
        truncates the log; on PostgreSQL in one transaction (the old row versions stay in the
        table's pages until VACUUM reclaims them, see README "Personal data")."""
        if self.postgres:
            with self.datastore.transaction(commit=True) as cursor:
                for statement, params in statements:
                    cursor.execute(self._dialect(statement), tuple(params))
            return
        name = self.datastore.pool.db_name
        conn = sqlite3.connect(name, uri=True, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA secure_delete=ON")
            conn.execute("BEGIN IMMEDIATE")
            for statement, params in statements:
                conn.execute(statement, tuple(params))
            conn.execute("COMMIT")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
