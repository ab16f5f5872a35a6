"""The registry of read-model table versions, which is also their tracking table.

One row per (read model, version): `live` (reads use it), `building` (a rebuild beside it, or
the first version of a new model: no reads until it has caught up) or `retired` (switched away
from; its tables are dropped after a grace period). A version whose events failed to apply is
quarantined: `error` names the exception type and no runner advances it until it is released
(a runner that takes the model's lock retries it; a rebuild replaces it). `position` is the
last log position the version has processed; it is advanced by compare-and-set in the same
transaction as the view update, so a batch is applied exactly once even if two runners race.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from projections.base import ReadModel, registry_table
from projections.store import ReadStore, Row, Tx, advisory_key

LIVE, BUILDING, RETIRED = "live", "building", "retired"
COLUMNS = (
    "name TEXT NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL, "
    "position BIGINT NOT NULL, revision INTEGER NOT NULL, started_at TEXT NOT NULL, "
    "updated_at TEXT, switched_at TEXT, error TEXT, PRIMARY KEY (name, version)"
)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Version:
    """One version of a read model's tables and how far it has read the log."""

    name: str
    version: int
    status: str
    position: int
    revision: int
    started_at: str
    updated_at: str | None
    switched_at: str | None
    error: str | None = None
    """The type of the exception that quarantined this version (None: it runs)."""

    @staticmethod
    def of(row: Row) -> Version:
        values: dict[str, Any] = {k: row.get(k) for k in Version.__dataclass_fields__}
        return Version(**values)


def setup(store: ReadStore, models: Sequence[ReadModel], at_head: int) -> None:
    """Creates the registry and a first version of each new model (live on an empty log, else
    building: it goes live once it has caught up with the log, whose head is `at_head`); starts
    a rebuild of any model whose definition (revision) changed since its live version was
    built."""
    with store.write() as tx:
        if store.postgres:
            key = advisory_key(f"setup:{store.table(store.prefix)}")
            tx.execute("SELECT pg_advisory_xact_lock(?)", (key,))
        tx.execute(f"CREATE TABLE IF NOT EXISTS {registry_table(store)} ({COLUMNS})")
        _add_error_column(tx, store)
        found = [Version.of(r) for r in tx.rows(f"SELECT * FROM {registry_table(store)}")]
        for model in models:
            mine = [v for v in found if v.name == model.name]
            live = next((v for v in mine if v.status == LIVE), None)
            building = any(v.status == BUILDING for v in mine)
            if live is None and not building:
                _create(tx, store, model, _next(mine), BUILDING if at_head else LIVE)
            elif live is not None and live.revision != model.revision and not building:
                _create(tx, store, model, _next(mine), BUILDING)


def _add_error_column(tx: Tx, store: ReadStore) -> None:
    """Registries made before quarantine existed get its column (their rows run: NULL)."""
    table = registry_table(store)
    if "error" not in tx.columns(table):
        tx.execute(f"ALTER TABLE {table} ADD COLUMN error TEXT")


def _next(versions: Sequence[Version]) -> int:
    return max((v.version for v in versions), default=0) + 1


def _create(tx: Tx, store: ReadStore, model: ReadModel, version: int, status: str) -> None:
    """A version's tables; a building version gets its query indexes when it is switched in
    (building them once over filled tables is cheaper than keeping them up to date)."""
    for statement in model.ddl(store, version, indexes=status != BUILDING):
        tx.execute(statement)
    tx.execute(
        f"INSERT INTO {registry_table(store)} "
        "(name, version, status, position, revision, started_at) VALUES (?, ?, ?, 0, ?, ?)",
        (model.name, version, status, model.revision, now()),
    )


def all_versions(tx: Tx, store: ReadStore) -> list[Version]:
    rows = tx.rows(f"SELECT * FROM {registry_table(store)} ORDER BY name, version")
    return [Version.of(r) for r in rows]


def live(tx: Tx, store: ReadStore) -> dict[str, Version]:
    """The live version of each read model (what reads use)."""
    rows = tx.rows(f"SELECT * FROM {registry_table(store)} WHERE status = ?", (LIVE,))
    return {r["name"]: Version.of(r) for r in rows}


def advance(tx: Tx, store: ReadStore, v: Version, position: int) -> bool:
    """Moves the version's position from where this runner saw it; False if someone else did."""
    changed = tx.execute(
        f"UPDATE {registry_table(store)} SET position = ?, updated_at = ? "
        "WHERE name = ? AND version = ? AND position = ? AND status <> ? AND error IS NULL",
        (position, now(), v.name, v.version, v.position, RETIRED),
    )
    return changed == 1


def quarantine(tx: Tx, store: ReadStore, v: Version, error: str) -> None:
    """Stops the version where it is: no runner advances it until it is released."""
    tx.execute(
        f"UPDATE {registry_table(store)} SET error = ?, updated_at = ? "
        "WHERE name = ? AND version = ?",
        (error, now(), v.name, v.version),
    )


def release(store: ReadStore, name: str) -> list[Version]:
    """Lets runners try the quarantined versions of a read model again; returns them."""
    with store.write() as tx:
        held = [v for v in all_versions(tx, store) if v.name == name and v.error]
        tx.execute(
            f"UPDATE {registry_table(store)} SET error = NULL WHERE name = ? AND error IS NOT NULL",
            (name,),
        )
    return held


def request_rebuild(store: ReadStore, model: ReadModel) -> int:
    """Creates empty tables for a new version beside the live one (or finds the one building;
    a quarantined one is retired and replaced)."""
    with store.write() as tx:
        mine = [v for v in all_versions(tx, store) if v.name == model.name]
        building = next((v for v in mine if v.status == BUILDING), None)
        if building is not None and building.error is None:
            return building.version
        if building is not None:
            tx.execute(
                f"UPDATE {registry_table(store)} SET status = ?, switched_at = ? "
                "WHERE name = ? AND version = ?",
                (RETIRED, now(), building.name, building.version),
            )
        version = _next(mine)
        _create(tx, store, model, version, BUILDING)
        return version


def switch(tx: Tx, store: ReadStore, model: ReadModel, v: Version) -> None:
    """Makes a caught-up building version live and retires the old one, in one transaction,
    after creating its query indexes and refreshing the planner's statistics of its tables."""
    for statement in model.index_ddl(store, v.version):
        tx.execute(statement)
    for name in model.table_names(store, v.version):
        tx.execute(f"ANALYZE {name}")
    table = registry_table(store)
    at = now()
    tx.execute(
        f"UPDATE {table} SET status = ?, switched_at = ? WHERE name = ? AND status = ?",
        (RETIRED, at, v.name, LIVE),
    )
    tx.execute(
        f"UPDATE {table} SET status = ?, switched_at = ? WHERE name = ? AND version = ?",
        (LIVE, at, v.name, v.version),
    )


def drop_retired(store: ReadStore, model: ReadModel, grace_seconds: float) -> int:
    """Drops the tables of versions retired longer ago than the grace period (readers that
    looked up the old version just before the switch finish first)."""
    cutoff = (datetime.now(UTC) - timedelta(seconds=grace_seconds)).isoformat()
    dropped = 0
    with store.write() as tx:
        for v in all_versions(tx, store):
            if v.name != model.name or v.status != RETIRED or (v.switched_at or "") > cutoff:
                continue
            for table in model.table_names(store, v.version):
                tx.execute(f"DROP TABLE IF EXISTS {table}")
            tx.execute(
                f"DELETE FROM {registry_table(store)} WHERE name = ? AND version = ?",
                (v.name, v.version),
            )
            dropped += 1
    return dropped
