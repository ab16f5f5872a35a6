"""Where the read models live: a SQLite file of their own, or the event store's PostgreSQL schema.

Views write portable SQL with `?` placeholders and `{table}` names from `ReadStore.table()`; the
two stores differ only in connections, placeholders, qualified names and locks.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Protocol

Row = dict[str, Any]


class StoreSettings(Protocol):
    """What the read store needs from the service settings (api.settings.Settings has it)."""

    @property
    def data_dir(self) -> Path: ...

    @property
    def database_url(self) -> str | None: ...

    @property
    def db_schema(self) -> str | None: ...

    @property
    def readmodels_path(self) -> Path | None: ...


class Tx:
    """One open transaction: statements with `?` placeholders, rows as dicts."""

    def __init__(self, cursor: Any, postgres: bool) -> None:
        self.cursor = cursor
        self.postgres = postgres

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    def execute(self, statement: str, params: Sequence[Any] = ()) -> int:
        self.cursor.execute(self._sql(statement), tuple(params))
        return int(self.cursor.rowcount)

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.cursor.executemany(self._sql(statement), rows)

    def insert_many(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Appends rows: COPY on PostgreSQL, a prepared INSERT on SQLite."""
        if not rows:
            return
        if self.postgres:
            with self.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join("?" * len(columns))
        self.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the transaction that an exception rolls back alone (and re-raises)."""
        if self.postgres:
            with self.cursor.connection.transaction():
                yield
            return
        self.cursor.execute("SAVEPOINT part")
        try:
            yield
        except BaseException:
            self.cursor.execute("ROLLBACK TO SAVEPOINT part")
            self.cursor.execute("RELEASE SAVEPOINT part")
            raise
        self.cursor.execute("RELEASE SAVEPOINT part")

    def insert_new(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> bool:
        """Appends rows believed new by COPY on PostgreSQL, inside a savepoint: False (and
        nothing written) if one already exists, so that the caller upserts them instead.
        False on SQLite, whose upserts cost no round trips."""
        if not rows or not self.postgres:
            return not rows
        import psycopg

        try:
            with self.cursor.connection.transaction():
                self.insert_many(table, columns, rows)
        except psycopg.errors.UniqueViolation:
            return False
        return True

    def rows(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        self.cursor.execute(self._sql(statement), tuple(params))
        if self.postgres:
            return list(self.cursor.fetchall())
        names = [d[0] for d in self.cursor.description]
        return [dict(zip(names, r, strict=True)) for r in self.cursor.fetchall()]

    def columns(self, table: str) -> list[str]:
        """The names of a table's columns."""
        self.cursor.execute(f"SELECT * FROM {table} LIMIT 0")
        names = [str(d[0]) for d in self.cursor.description]
        self.cursor.fetchall()
        return names

    def one(self, statement: str, params: Sequence[Any] = ()) -> Row | None:
        found = self.rows(statement, params)
        return found[0] if found else None


class Locks(ABC):
    """Exclusive, process-wide claims on read models; lost when the holder dies."""

    @abstractmethod
    def try_acquire(self, name: str) -> bool: ...

    @abstractmethod
    def held(self) -> set[str]:
        """The names still held (checks that the claim is alive)."""

    @abstractmethod
    def release(self) -> None: ...


class ReadStore(ABC):
    """Connections, transactions and locks for the read models of one deployment."""

    postgres: bool
    prefix: str

    def unavailable(self, error: BaseException) -> bool:
        """Whether an error says the database is unavailable (busy, gone, timed out) rather
        than that a read model is wrong (SQLite also reports bad SQL as OperationalError)."""
        busy = ("locked", "busy", "unable to open", "disk i/o")
        return isinstance(error, sqlite3.OperationalError) and any(
            word in str(error).lower() for word in busy
        )

    @abstractmethod
    def table(self, name: str) -> str:
        """The qualified name of a read-model table."""

    @abstractmethod
    @contextmanager
    def write(self) -> Iterator[Tx]:
        """A transaction that commits on success and rolls back on error."""

    @abstractmethod
    @contextmanager
    def read(self) -> Iterator[Tx]:
        """A read-only transaction."""

    @abstractmethod
    def locks(self) -> Locks: ...

    def checkpoint(self) -> None:  # noqa: B027 (only SQLite has something to do)
        """After an erasure: nothing to do on PostgreSQL (old row versions stay in the pages
        until VACUUM reclaims them; see README "Personal data")."""

    @abstractmethod
    def close(self) -> None: ...


class SQLiteFileLocks(Locks):
    """An flock per read model on a file beside the database; the kernel releases it when the
    process dies."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.files: dict[str, Any] = {}

    def try_acquire(self, name: str) -> bool:
        import fcntl

        if name in self.files:
            return True
        handle = open(self.database.with_name(f"{self.database.name}.{name}.lock"), "a+b")  # noqa: SIM115
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self.files[name] = handle
        return True

    def held(self) -> set[str]:
        return set(self.files)

    def release(self) -> None:
        for handle in self.files.values():
            handle.close()
        self.files.clear()


class SQLiteReadStore(ReadStore):
    """Read models in their own SQLite file (WAL), one connection per thread."""

    postgres = False

    def __init__(self, path: Path, prefix: str = "rm_") -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.local = threading.local()
        self.opened: list[sqlite3.Connection] = []
        self.guard = threading.Lock()

    def table(self, name: str) -> str:
        return name

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self.local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=30
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA secure_delete=ON")  # erased personal data is zeroed
            self.local.conn = conn
            with self.guard:
                self.opened.append(conn)
        return conn

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[Tx]:
        conn = self._connection()
        cursor = conn.cursor()
        cursor.execute(begin)
        try:
            yield Tx(cursor, postgres=False)
        except BaseException:
            conn.rollback()
            raise
        else:
            conn.commit()
        finally:
            cursor.close()

    @contextmanager
    def write(self) -> Iterator[Tx]:
        with self._transaction("BEGIN IMMEDIATE") as tx:
            yield tx

    @contextmanager
    def read(self) -> Iterator[Tx]:
        with self._transaction("BEGIN") as tx:
            yield tx

    def locks(self) -> Locks:
        return SQLiteFileLocks(self.path)

    def checkpoint(self) -> None:
        """Copies the WAL into the file and truncates it (after an erasure: no old page
        version of an erased row stays in the WAL file)."""
        self._connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        with self.guard:
            for conn in self.opened:
                conn.close()
            self.opened.clear()
        self.local = threading.local()


def advisory_key(name: str) -> int:
    """The PostgreSQL advisory-lock key (a signed 64-bit integer) for a name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class PostgresAdvisoryLocks(Locks):
    """Session advisory locks, one per read model, on one connection of their own: if the
    holder dies (or its connection drops) PostgreSQL releases them and a standby takes over.
    Keys are hashed from the schema and table prefix (`namespace`) and the model's name, and
    PostgreSQL keeps advisory locks per database: deployments in other schemas or databases of
    the same server never wait on each other."""

    def __init__(self, conninfo: str, namespace: str) -> None:
        self.conninfo = conninfo
        self.namespace = namespace
        self.conn: Any = None
        self.names: set[str] = set()

    def key(self, name: str) -> int:
        return advisory_key(f"{self.namespace}:{name}")

    def try_acquire(self, name: str) -> bool:
        import psycopg

        if name in self.held():
            return True
        try:
            if self.conn is None:
                self.conn = psycopg.connect(
                    self.conninfo,
                    autocommit=True,
                    connect_timeout=5,
                    application_name=f"secondments-projections-{os.getpid()}",
                )
            got = self.conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key(name),))
            row = got.fetchone()
        except psycopg.Error:
            self.release()
            return False
        if row and row[0]:
            self.names.add(name)
            return True
        return False

    def held(self) -> set[str]:
        if self.conn is None:
            return set()
        try:
            self.conn.execute("SELECT 1")
        except Exception:
            self.release()
        return set(self.names)

    def release(self) -> None:
        self.names.clear()
        if self.conn is not None:
            with suppress(Exception):
                self.conn.close()
            self.conn = None


class PostgresReadStore(ReadStore):
    """Read models as tables of their own in the event store's database and schema."""

    postgres = True

    def __init__(
        self, conninfo: str, schema: str = "public", prefix: str = "rm_", pool_size: int = 4
    ) -> None:
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        self.conninfo = conninfo
        self.schema = schema
        self.prefix = prefix
        self.pool: ConnectionPool[Any] = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True, "row_factory": dict_row},
            timeout=10,
            open=True,
        )

    def unavailable(self, error: BaseException) -> bool:
        import psycopg
        from psycopg_pool import PoolTimeout

        return isinstance(error, psycopg.OperationalError | psycopg.InterfaceError | PoolTimeout)

    def table(self, name: str) -> str:
        return f'"{self.schema}".{name}'

    @contextmanager
    def write(self) -> Iterator[Tx]:
        with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cursor:
            yield Tx(cursor, postgres=True)

    @contextmanager
    def read(self) -> Iterator[Tx]:
        """Statements in autocommit, without BEGIN and COMMIT (two of a list's four round
        trips): each sees what is committed when it runs, as under READ COMMITTED in a
        transaction, and a version found live keeps its tables for the runner's drop grace."""
        with self.pool.connection() as conn, conn.cursor() as cursor:
            yield Tx(cursor, postgres=True)

    def locks(self) -> Locks:
        return PostgresAdvisoryLocks(self.conninfo, f"{self.schema}.{self.prefix}")

    def close(self) -> None:
        self.pool.close()


def open_store(settings: StoreSettings, prefix: str = "rm_") -> ReadStore:
    """The read store for these settings: PostgreSQL when a database URL is set, else SQLite."""
    if settings.database_url:
        return PostgresReadStore(settings.database_url, settings.db_schema or "public", prefix)
    path = settings.readmodels_path or Path(settings.data_dir) / "readmodels.db"
    return SQLiteReadStore(path, prefix)
