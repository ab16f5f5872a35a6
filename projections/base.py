"""What every read model shares: decoded events, versioned tables, and rows cached per batch."""

from __future__ import annotations

import functools
import operator
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import UTC, date, datetime
from enum import Enum
from functools import cached_property
from typing import Any, ClassVar
from uuid import UUID

import orjson

from domain import events as ev
from domain.lifecycle import OCCUPYING
from domain.values import SENSITIVE_OFFICIAL_FIELDS, personnel_key
from projections.store import ReadStore, Row, Tx


@dataclass(frozen=True)
class Event:
    """One event of the log as the read models see it."""

    position: int
    type: str
    aggregate: str
    originator_id: UUID
    version: int
    recorded_at: datetime
    data: Any
    sid: str
    """The originator id as stored in the read models."""


def fold(text: str) -> str:
    """Lower case without Vietnamese diacritics (đ → d), single-spaced: for name search."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


def agency_key(name: str) -> str:
    """A home agency's name as compared by the access rules."""
    return unicodedata.normalize("NFC", name).strip().casefold()


def field_list(values: Iterable[Any]) -> str:
    """Fields as ",a,b," so that `LIKE '%,a,%'` finds one."""
    names = [v.value if isinstance(v, Enum) else str(v) for v in values]
    return f",{','.join(names)}," if names else ""


def split_fields(stored: str | None) -> list[str]:
    return [f for f in (stored or "").split(",") if f]


def jsonable(value: Any) -> Any:
    """Domain values as plain JSON: enums by value, dates ISO, records as objects."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


DUMPS_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def redacted(data: dict[str, Any]) -> dict[str, Any]:
    """Event data without the official's sensitive fields (the official as a plain object)."""
    official = data.get("official")
    if official is None:
        return data
    plain = jsonable(official)
    kept = {k: v for k, v in plain.items() if k not in SENSITIVE_OFFICIAL_FIELDS}
    return {**data, "official": kept}


def dumps(value: Any) -> str:
    """Domain values as JSON text (enums by value, dates ISO, records as objects; dict keys
    sorted, records' keys in field order); anything else is a TypeError."""
    return orjson.dumps(value, option=DUMPS_OPTIONS).decode()


def stamp(at: datetime) -> str:
    """A moment as comparable text: UTC, always with microseconds."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class Table:
    """One table of a read model: its suffix, columns (DDL), key and indexes."""

    suffix: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]
    indexes: tuple[tuple[str, ...], ...] = ()
    """Indexes for the queries; a rebuild creates them only when its tables are filled."""
    applying: tuple[tuple[str, ...], ...] = ()
    """Indexes the projection itself reads through while applying events (always present)."""

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.columns)


class Tables:
    """The qualified names of one version of a read model's tables: `tables["facts"]`."""

    def __init__(self, store: ReadStore, model: str, version: int) -> None:
        self.store = store
        self.base = f"{store.prefix}{model}_v{version}"

    def raw(self, suffix: str = "") -> str:
        return f"{self.base}_{suffix}" if suffix else self.base

    def __getitem__(self, suffix: str) -> str:
        return self.store.table(self.raw(suffix))

    @property
    def main(self) -> str:
        return self[""]


class Rows:
    """Rows of one table by key, loaded on demand for a batch and written back in one go."""

    def __init__(self, tx: Tx, name: str, table: Table) -> None:
        self.tx, self.name, self.table = tx, name, table
        self.cache: dict[tuple[Any, ...], Row | None] = {}
        self.groups: dict[Any, dict[tuple[Any, ...], None]] = {}
        """The cached keys by first key column, in the order they were first cached."""
        self.loaded: set[Any] = set()
        self.dirty: set[tuple[Any, ...]] = set()
        self.stored: set[tuple[Any, ...]] = set()
        """The keys known to have a row in the table (read, or written by a flush)."""
        self._key: Callable[[Row], tuple[Any, ...]] = (
            operator.itemgetter(*table.key) if len(table.key) > 1 else self._one
        )

    def preload(self, groups: Iterable[Any]) -> None:
        """Loads every row whose first key column is one of `groups`."""
        wanted = list(dict.fromkeys(g for g in groups if g not in self.loaded))
        first = self.table.key[0]
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.tx.rows(f"SELECT * FROM {self.name} WHERE {first} IN ({marks})", chunk):
                key = self._key(row)
                self.stored.add(key)
                if key not in self.cache:
                    self._cache(key, row)
            self.loaded.update(chunk)

    def _one(self, row: Row) -> tuple[Any, ...]:
        return (row[self.table.key[0]],)

    def _cache(self, key: tuple[Any, ...], row: Row | None) -> None:
        if key not in self.cache:
            self.groups.setdefault(key[0], {})[key] = None
        self.cache[key] = row

    def get(self, *key: Any) -> Row | None:
        if key[0] not in self.loaded:
            self.preload([key[0]])
        return self.cache.get(key)

    def group(self, first: Any) -> list[Row]:
        self.preload([first])
        cache = self.cache
        return [r for k in self.groups.get(first, ()) if (r := cache[k]) is not None]

    def put(self, row: Row) -> Row:
        if len(row) < len(self.table.names):
            for name in self.table.names:
                row.setdefault(name, None)
        key = self._key(row)
        self._cache(key, row)
        self.dirty.add(key)
        return row

    def delete(self, *key: Any) -> None:
        self._cache(key, None)
        self.dirty.add(key)

    def changed(self) -> list[Row]:
        """The rows put since the last flush."""
        return [r for k in self.dirty if (r := self.cache.get(k)) is not None]

    def flush(self) -> None:
        """Writes the changed rows: rows whose group was read and found without them are
        appended (COPY on PostgreSQL), the others upserted; deleted rows are deleted."""
        names = self.table.names
        keys = self.table.key
        stored, loaded = self.stored, self.loaded
        dirty = [(k, self.cache.get(k)) for k in self.dirty]
        deletes = [k for k, r in dirty if r is None and (k in stored or k[0] not in loaded)]
        fresh = [r for k, r in dirty if r is not None and k not in stored and k[0] in loaded]
        upserts = [r for k, r in dirty if r is not None and (k in stored or k[0] not in loaded)]
        if deletes:
            where = " AND ".join(f"{k} = ?" for k in keys)
            self.tx.executemany(f"DELETE FROM {self.name} WHERE {where}", deletes)
        if fresh and not self.tx.insert_new(
            self.name, names, [tuple(r.get(c) for c in names) for r in fresh]
        ):
            upserts += fresh
        if upserts:
            updates = ", ".join(f"{c} = excluded.{c}" for c in names if c not in keys)
            statement = (
                f"INSERT INTO {self.name} ({', '.join(names)}) "
                f"VALUES ({', '.join('?' * len(names))}) "
                f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
            )
            self.tx.executemany(statement, [tuple(r.get(c) for c in names) for r in upserts])
        stored.difference_update(deletes)
        stored.update(k for k, r in dirty if r is not None)
        self.dirty.clear()


KEYED_SINCE: dict[str, int] = {}
"""Per read model, its first revision whose rows carry `personnel_key`."""


class ReadModel(ABC):
    """A projection of the log into tables, and the queries over them (its view)."""

    name: ClassVar[str]
    revision: ClassVar[int] = 1
    """Bump when the tables or the meaning of a column change: a rebuild is then started."""
    keyed_since: ClassVar[int] = 0
    """The first revision whose rows carry `personnel_key`: an older live version is not read
    (NotLive) until the rebuild that revision started has replaced it."""
    tables: ClassVar[tuple[Table, ...]]
    reads: ClassVar[frozenset[str]]
    """The aggregates whose events `apply` is given (the runner filters each batch by it, and
    decodes only the events some read model reads: `projections.catalog.DECODED`)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.keyed_since:
            KEYED_SINCE[cls.name] = cls.keyed_since

    def ddl(self, store: ReadStore, version: int, indexes: bool = True) -> list[str]:
        """The tables of a version, with the indexes the projection needs while applying, and
        (unless `indexes` is False: a rebuild fills its tables first) the query indexes."""
        t = Tables(store, self.name, version)
        statements = []
        for table in self.tables:
            columns = ", ".join(f"{c} {kind}" for c, kind in table.columns)
            statements.append(
                f"CREATE TABLE IF NOT EXISTS {t[table.suffix]} "
                f"({columns}, PRIMARY KEY ({', '.join(table.key)}))"
            )
            statements += self._indexes(t, table, table.applying)
        return statements + (self.index_ddl(store, version) if indexes else [])

    def index_ddl(self, store: ReadStore, version: int) -> list[str]:
        """The query indexes of a version (idempotent)."""
        t = Tables(store, self.name, version)
        return [s for table in self.tables for s in self._indexes(t, table, table.indexes)]

    @staticmethod
    def _indexes(t: Tables, table: Table, indexes: tuple[tuple[str, ...], ...]) -> list[str]:
        return [
            f"CREATE INDEX IF NOT EXISTS ix_{t.raw(table.suffix)}_{'_'.join(index)} "
            f"ON {t[table.suffix]} ({', '.join(index)})"
            for index in indexes
        ]

    def table_names(self, store: ReadStore, version: int) -> list[str]:
        t = Tables(store, self.name, version)
        return [t[table.suffix] for table in self.tables]

    def rows(self, tx: Tx, t: Tables, suffix: str = "") -> Rows:
        table = next(x for x in self.tables if x.suffix == suffix)
        return Rows(tx, t[suffix], table)

    @abstractmethod
    def apply(self, tx: Tx, t: Tables, events: Sequence[Event]) -> None:
        """Applies a batch of events in the caller's transaction."""


FACTS = Table(
    "facts",
    (
        ("aggregate_id", "TEXT NOT NULL"),
        ("province_code", "INTEGER"),
        ("ward_code", "INTEGER"),
        ("home_agency", "TEXT"),
        ("agency_key", "TEXT"),
        ("personnel_id", "TEXT"),
        ("personnel_key", "TEXT"),
        ("full_name", "TEXT"),
    ),
    ("aggregate_id",),
)
"""Who and where a secondment (or a commune's record) is, for models that scope other rows."""


def remember(facts: Rows, e: Event) -> None:
    """Records the scope facts carried by creation events."""
    found = scope_facts(e.data)
    if found is not None:
        facts.put({"aggregate_id": e.sid, **found})


@functools.singledispatch
def scope_facts(data: object) -> Row | None:
    """Who and where, from an event that creates a record (None for the others)."""
    return None


@scope_facts.register(ev.Requested)
def _requested_facts(data: Any) -> Row:
    official, host, agency = data.official, data.host, data.home_agency
    return {
        "province_code": host.province_code,
        "ward_code": host.ward_code,
        "home_agency": agency,
        "agency_key": agency_key(agency),
        "personnel_id": official.personnel_id,
        "personnel_key": personnel_key(official.personnel_id),
        "full_name": official.full_name,
    }


@scope_facts.register(ev.Opened)
def _opened_facts(data: Any) -> Row:
    return {"province_code": data.province_code, "ward_code": data.ward_code}


def registry_table(store: ReadStore) -> str:
    """The table naming each read model's versions (see projections.versions)."""
    return store.table(f"{store.prefix}versions")


@dataclass(frozen=True)
class Scope:
    """Which secondments a reader may see; None does not constrain."""

    province_code: int | None = None
    ward_code: int | None = None
    home_agency: str | None = None
    personnel_id: str | None = None


@dataclass
class Where:
    """A WHERE clause built from optional filters."""

    clauses: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, clause: str, *params: Any) -> Where:
        self.clauses.append(clause)
        self.params.extend(params)
        return self

    def eq(self, column: str, value: Any) -> Where:
        return self if value is None else self.add(f"{column} = ?", value)

    def scope(self, scope: Scope, prefix: str = "") -> Where:
        self.eq(f"{prefix}province_code", scope.province_code)
        self.eq(f"{prefix}ward_code", scope.ward_code)
        if scope.home_agency is not None:
            self.add(f"{prefix}agency_key = ?", agency_key(scope.home_agency))
        if scope.personnel_id is not None:
            self.add(f"{prefix}personnel_key = ?", personnel_key(scope.personnel_id))
        return self

    @property
    def sql(self) -> str:
        return f" WHERE {' AND '.join(self.clauses)}" if self.clauses else ""


def held_on(w: Where, day: date) -> Where:
    """Rows of validity intervals (`valid_from`, `valid_to`) that hold at the end of `day`."""
    d = day.isoformat()
    return w.add("valid_from <= ?", d).add("(valid_to IS NULL OR valid_to > ?)", d)


def in_states(w: Where, states: Sequence[str]) -> Where:
    return w.add(f"state IN ({','.join('?' * len(states))})", *states)


@dataclass(frozen=True)
class Page:
    """Some rows, and where the next page starts (None: this is the last)."""

    items: list[Row]
    after: dict[str, Any] | None


def paged(rows: list[Row], limit: int, cursor_of: Any) -> Page:
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items, cursor_of(items[-1]) if more and items else None)


class NotLive(LookupError):
    """Raised when a read model has no live version yet (its first version is being built)."""

    def __init__(self, model: str) -> None:
        super().__init__(f"read model {model} is being built")
        self.model = model


class View:
    """Queries over the live version of one read model."""

    model: ClassVar[str]

    def __init__(self, store: ReadStore) -> None:
        self.store = store

    @contextmanager
    def reading(self) -> Iterator[tuple[Tx, Tables]]:
        with self.store.read() as tx:
            yield tx, self.live(tx, self.model)

    def live(self, tx: Tx, model: str) -> Tables:
        """The tables of a model's live version (this view's, or another's in the same read);
        NotLive while its first version, or its first with `personnel_key`, is being built."""
        row = tx.one(
            f"SELECT version, revision FROM {registry_table(self.store)} "
            "WHERE name = ? AND status = 'live'",
            (model,),
        )
        if row is None or int(row["revision"]) < KEYED_SINCE.get(model, 0):
            raise NotLive(model)
        return Tables(self.store, model, int(row["version"]))


IDENTITY = (
    ("secondment_id", "TEXT NOT NULL"),
    ("seq", "BIGINT NOT NULL"),
    ("state", "TEXT NOT NULL"),
    ("active", "INTEGER NOT NULL"),
    ("kind", "TEXT NOT NULL"),
    ("full_name", "TEXT NOT NULL"),
    ("personnel_id", "TEXT NOT NULL"),
    ("personnel_key", "TEXT NOT NULL"),
    ("home_agency", "TEXT NOT NULL"),
    ("agency_key", "TEXT NOT NULL"),
    ("province_code", "INTEGER NOT NULL"),
    ("ward_code", "INTEGER"),
    ("ward_name", "TEXT"),
)
"""Columns that name a secondment, where it stands and whose scope it is in."""


def identity(e: Event, ward_label: Any) -> Row:
    """The identity columns from a Requested event."""
    data = e.data
    host, official, agency = data.host, data.official, data.home_agency
    return {
        "secondment_id": e.sid,
        "seq": e.position,
        "state": data.to_state,
        "active": 0,
        "kind": data.kind.value,
        "full_name": official.full_name,
        "personnel_id": official.personnel_id,
        "personnel_key": personnel_key(official.personnel_id),
        "home_agency": agency,
        "agency_key": agency_key(agency),
        "province_code": host.province_code,
        "ward_code": host.ward_code,
        "ward_name": ward_label(host.ward_code) if host.ward_code else None,
    }


def followed(
    rows: Rows,
    events: Sequence[Event],
    new_row: Callable[[Event], Row],
    finish: Callable[[Row], None] | None = None,
) -> Iterator[tuple[Event, Row]]:
    """The usual loop of a one-row-per-secondment model: a row is made from each Requested
    event (`new_row`), and each later event of a known secondment is yielded with its row,
    whose state has already followed; the caller updates the row and it is put back. Each
    changed row is passed to `finish` once before the batch is written."""
    rows.preload(e.sid for e in events if e.aggregate == "Secondment")
    for e in events:
        if e.aggregate != "Secondment":
            continue
        if isinstance(e.data, ev.Requested):
            rows.put(new_row(e))
            continue
        row = rows.get(e.sid)
        if row is None:
            continue
        moved(row, e)
        yield e, row
        rows.put(row)
    if finish is not None:
        for row in rows.changed():
            finish(row)
    rows.flush()


def moved(row: Row, e: Event) -> None:
    """Follows the secondment's state (every event of a secondment names the state after it)."""
    to_state = e.data.to_state
    row.update(state=to_state, active=int(to_state in OCCUPYING))
