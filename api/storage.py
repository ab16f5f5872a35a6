"""The HTTP layer's own small tables, kept in the event store's database (SQLite file or schema)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from domain.application import SecondmentRegistry


class Database:
    """Runs statements on the store's datastore; `?` placeholders, tables named by `table()`."""

    def __init__(self, registry: SecondmentRegistry) -> None:
        recorder: Any = registry.recorder
        self.datastore: Any = recorder.datastore
        self.postgres = not type(recorder).__module__.endswith("sqlite")
        self.schema: str = getattr(self.datastore, "schema", "") or "public"

    def table(self, name: str) -> str:
        return f'"{self.schema}".{name}' if self.postgres else name

    def execute(self, statement: str, params: Sequence[Any] = ()) -> int:
        """Runs a statement and commits it; the number of rows it changed."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self._dialect(statement), tuple(params))
            inner = getattr(cursor, "sqlite_cursor", cursor)
            return int(inner.rowcount)

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        """Rows of a SELECT, each addressable by column name."""
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._dialect(statement), tuple(params))
            return list(cursor.fetchall())

    def _dialect(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    def ping(self) -> bool:
        try:
            return bool(self.query("SELECT 1 AS ok")[0]["ok"] == 1)
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
