"""The read side as the bench sees it: whether it exists yet, and the tracked positions."""

from __future__ import annotations

import importlib.util

import psycopg

from api.settings import Settings

NEEDED = ("projections.catalog", "projections.runner", "workers.projection_worker")


def present() -> bool:
    """Whether the read models (projections/ and the worker) are in this checkout."""
    try:
        return all(importlib.util.find_spec(name) is not None for name in NEEDED)
    except ModuleNotFoundError:
        return False


class Positions:
    """Polls the lowest position processed by the live read models (their tracking table)."""

    def __init__(self, settings: Settings, prefix: str = "rm_") -> None:
        self.conn = psycopg.connect(settings.database_url or "", autocommit=True)
        schema = settings.db_schema or "public"
        self.statement = (
            f'SELECT min(position), count(*) FROM "{schema}".{prefix}versions '
            "WHERE status = 'live'"
        )

    def _row(self) -> tuple[int, int]:
        try:
            row = self.conn.execute(self.statement).fetchone()
        except psycopg.errors.UndefinedTable:
            return 0, 0
        return (int(row[0] or 0), int(row[1])) if row else (0, 0)

    def lowest(self) -> int:
        """The lowest position any live read model has processed (0 before they exist)."""
        return self._row()[0]

    def models(self) -> int:
        """How many live read models there are."""
        return self._row()[1]

    def close(self) -> None:
        self.conn.close()
