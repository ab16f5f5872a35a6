"""The HTTP layer's own small tables, kept in the event store's database (SQLite file or schema)."""

from __future__ import annotations

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
