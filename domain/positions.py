"""What we ask the library's tables directly, where its API has no answer: where stored events
sit in the global log (their notification ids), the rows of chosen versions, and which
snapshot a past version starts from.

The library answers the first only while saving; a replayed command and the audit trail of one
secondment need it afterwards. History reads need the others without decoding a snapshot.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import AggregateRecorder, ApplicationRecorder
from eventsourcing.persistence import StoredEvent as Row


def positions(
    recorder: ApplicationRecorder, originator_id: UUID, versions: list[int]
) -> dict[int, int]:
    """Maps each given version of one aggregate to its position in the application's log."""
    if not versions:
        return {}
    rows = _select(
        recorder,
        "SELECT originator_version AS v, {position} AS p FROM {table} "
        "WHERE originator_id = ? AND originator_version BETWEEN ? AND ?",
        (originator_id, min(versions), max(versions)),
    )
    found = {int(row["v"]): int(row["p"]) for row in rows}
    return {v: found[v] for v in versions if v in found}


def positioned_page(
    recorder: ApplicationRecorder, originator_id: UUID, after_version: int, limit: int
) -> list[tuple[int, Row]]:
    """One aggregate's stored events after a version, oldest first, each with its position:
    one query where the library's `events.get` and `positions` would take two."""
    rows = _select(
        recorder,
        "SELECT originator_version AS v, topic AS t, state AS s, {position} AS p "
        "FROM {table} WHERE originator_id = ? AND originator_version > ? "
        "ORDER BY originator_version LIMIT ?",
        (originator_id, after_version, limit),
    )
    return [(int(r["p"]), Row(originator_id, int(r["v"]), r["t"], bytes(r["s"]))) for r in rows]


def rows_at(recorder: AggregateRecorder, originator_id: UUID, versions: Sequence[int]) -> list[Row]:
    """The stored events of these versions of one aggregate (those that exist), in one query."""
    if not versions:
        return []
    if not is_sql(recorder):
        wanted = set(versions)
        return [r for r in recorder.select_events(originator_id) if r.originator_version in wanted]
    marks = ", ".join("?" * len(versions))
    rows = _select(
        recorder,
        "SELECT originator_version AS v, topic AS t, state AS s FROM {table} "
        f"WHERE originator_id = ? AND originator_version IN ({marks})",
        (originator_id, *versions),
    )
    return [Row(originator_id, int(r["v"]), r["t"], bytes(r["s"])) for r in rows]


def spread(recorder: AggregateRecorder, originator_id: UUID, count: int) -> list[Row]:
    """One aggregate's latest stored event and others evenly spaced below it, `count` at most
    (the latest, then every ceil(latest / count)-th version down), in one query."""
    if not is_sql(recorder):
        every = list(recorder.select_events(originator_id))
        step = max(1, -(-len(every) // count))
        return every[::-1][::step]
    latest = "(SELECT MAX(originator_version) FROM {table} WHERE originator_id = ?)"
    rows = _select(
        recorder,
        "SELECT originator_version AS v, topic AS t, state AS s FROM {table} "
        f"WHERE originator_id = ? AND ({latest} - originator_version) % (({latest} + ?) / ?) = 0",
        (originator_id, originator_id, originator_id, count - 1, count),
    )
    return [Row(originator_id, int(r["v"]), r["t"], bytes(r["s"])) for r in rows]


def past_rows(
    events: AggregateRecorder, snapshots: AggregateRecorder, originator_id: UUID, version: int
) -> tuple[int | None, list[Row]]:
    """For rebuilding version `version` of one aggregate, in one query: the version of its
    latest snapshot at or below it (None: none), and the stored events after that snapshot up
    to it, oldest first. The snapshot itself is not read."""
    snapshot = (
        "(SELECT MAX(originator_version) FROM {snapshots} "
        "WHERE originator_id = ? AND originator_version <= ?)"
    )
    rows = _select(
        events,
        f"SELECT {snapshot} AS v, NULL AS t, NULL AS s "
        "UNION ALL SELECT originator_version, topic, state FROM {table} "
        "WHERE originator_id = ? AND originator_version <= ? "
        f"AND originator_version > COALESCE({snapshot}, 0)",
        (originator_id, version, originator_id, version, originator_id, version),
        snapshots,
    )
    at = next((r["v"] for r in rows if r["t"] is None), None)
    found = [Row(originator_id, int(r["v"]), r["t"], bytes(r["s"])) for r in rows if r["t"]]
    return (None if at is None else int(at)), sorted(found, key=lambda r: r.originator_version)


def is_sql(recorder: AggregateRecorder) -> bool:
    """Whether the recorder keeps a table we can query (SQLite or PostgreSQL, not in memory)."""
    return hasattr(recorder, "datastore") and hasattr(recorder, "events_table_name")


def _select(
    recorder: AggregateRecorder,
    statement: str,
    params: tuple[Any, ...],
    snapshots: AggregateRecorder | None = None,
) -> list[Any]:
    """Runs one statement written for SQLite (`?` marks, `{table}`, `{snapshots}`,
    `{position}`) on the recorder's backend: PostgreSQL gets `%s` marks (`%%` for `%`),
    schema-qualified tables, UUID ids, and runs it alone in autocommit (one round trip where
    a transaction takes three)."""
    sql_recorder: Any = recorder
    datastore: Any = sql_recorder.datastore
    tables = {"table": sql_recorder.events_table_name}
    if snapshots is not None:
        tables["snapshots"] = getattr(snapshots, "events_table_name")  # noqa: B009
    if type(recorder).__module__.endswith("sqlite"):
        statement = statement.format(**tables, position="rowid")
        params = tuple(p.hex if isinstance(p, UUID) else p for p in params)
        with datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            return list(curs.fetchall())
    schema = datastore.schema or "public"
    qualified = {k: f"{schema}.{v}" for k, v in tables.items()}
    statement = statement.format(**qualified, position="notification_id")
    with datastore.cursor() as curs:
        curs.execute(statement.replace("%", "%%").replace("?", "%s"), params)
        return list(curs.fetchall())
