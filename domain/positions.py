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
    marks = ", ".join("?" * len(versions))
    rows = _select(
        recorder,
        "SELECT originator_version AS v, topic AS t, state AS s FROM {table} "
        f"WHERE originator_id = ? AND originator_version IN ({marks})",
        (originator_id, *versions),
    )
    return [Row(originator_id, int(r["v"]), r["t"], bytes(r["s"])) for r in rows]


def latest_version(
    recorder: AggregateRecorder, originator_id: UUID, at_most: int | None = None
) -> int | None:
    """The latest version of one aggregate in this recorder's table (at or below `at_most`
    when given), without reading its row; None when there is none."""
    bound = "" if at_most is None else " AND originator_version <= ?"
    params = (originator_id,) if at_most is None else (originator_id, at_most)
    rows = _select(
        recorder,
        "SELECT MAX(originator_version) AS v FROM {table} WHERE originator_id = ?" + bound,
        params,
    )
    found = rows[0]["v"] if rows else None
    return None if found is None else int(found)


def is_sql(recorder: AggregateRecorder) -> bool:
    """Whether the recorder keeps a table we can query (SQLite or PostgreSQL, not in memory)."""
    return hasattr(recorder, "datastore") and hasattr(recorder, "events_table_name")


def _select(recorder: AggregateRecorder, statement: str, params: tuple[Any, ...]) -> list[Any]:
    """Runs a statement written for SQLite (`?` marks, `{table}`, `{position}`) on the
    recorder's backend: PostgreSQL gets `%s` marks, the schema-qualified table, UUID ids."""
    sql_recorder: Any = recorder
    table: str = sql_recorder.events_table_name
    datastore: Any = sql_recorder.datastore
    if type(recorder).__module__.endswith("sqlite"):
        statement = statement.format(table=table, position="rowid")
        params = tuple(p.hex if isinstance(p, UUID) else p for p in params)
    else:
        schema = datastore.schema or "public"
        statement = statement.format(table=f"{schema}.{table}", position="notification_id")
        statement = statement.replace("?", "%s")
    with datastore.transaction(commit=False) as curs:
        curs.execute(statement, params)
        return list(curs.fetchall())
