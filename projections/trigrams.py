"""Trigram indexes for substring search on PostgreSQL (`pg_trgm`).

The name search is a substring match (`name_folded LIKE '%…%'`), which no B-tree index serves:
at 50,000 secondments it scanned the whole table (35 ms for a name that is not there). A GIN
index with `pg_trgm`'s operator class answers it from the index (0.05 ms). `pg_trgm` ships with
PostgreSQL and is a trusted extension (PostgreSQL 13 and later: a role with CREATE on the
database may install it); where it is already installed, in any schema, it is used from there.
Where it cannot be installed the search still answers, by scanning, and the read model says so
in the log once per process: the index is a speed-up, not a condition of a right answer.
"""

from __future__ import annotations

import logging
from typing import Any
from weakref import WeakKeyDictionary

log = logging.getLogger(__name__)

EXTENSION = "pg_trgm"
FIND = "SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = %s"


def operator_class(store: Any) -> str | None:
    """The qualified `gin_trgm_ops` of the store's database, installing `pg_trgm` there if it
    is not yet (once per store); None on SQLite, or where it cannot be installed."""
    if not store.postgres:
        return None
    if store not in _found:
        _found[store] = _install(store.pool)
    return _found[store]


_found: WeakKeyDictionary[Any, str | None] = WeakKeyDictionary()
"""Each open store's answer, asked once (a closed store's goes with it)."""


def _install(pool: Any) -> str | None:
    import psycopg

    with pool.connection() as conn:  # autocommit: a refusal leaves no transaction to undo
        for _ in range(2):
            row = conn.execute(FIND, (EXTENSION,)).fetchone()
            if row is not None:
                return f"{row['schema']}.gin_trgm_ops"
            try:
                conn.execute(f"CREATE EXTENSION IF NOT EXISTS {EXTENSION}")
            except (psycopg.errors.UniqueViolation, psycopg.errors.DuplicateObject):
                continue  # another process installed it at the same moment: read it again
            except psycopg.Error as refused:
                log.warning(
                    "PostgreSQL extension %s cannot be installed (%s): the name search scans "
                    "the secondments table instead of using a trigram index; a database "
                    "owner can run CREATE EXTENSION %s",
                    EXTENSION,
                    str(refused).strip().splitlines()[0],
                    EXTENSION,
                )
                return None
    return None
