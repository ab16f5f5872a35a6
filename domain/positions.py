"""Where stored events sit in the global log (their notification ids), by aggregate and version.

The library answers this only while saving; a replayed command and the audit trail of one
secondment need it afterwards, so we ask the events table directly.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.persistence import StoredEvent as Row


def positions(
    recorder: ApplicationRecorder, originator_id: UUID, versions: list[int]
) -> dict[int, int]:
    """Maps each given version of one aggregate to its position in the application's log."""
    if not versions:
        return {}
    sql_recorder: Any = recorder
    table: str = sql_recorder.events_table_name
    datastore: Any = sql_recorder.datastore
    low, high = min(versions), max(versions)
    if type(recorder).__module__.endswith("sqlite"):
        statement = (
            f"SELECT originator_version AS v, rowid AS p FROM {table} "
            "WHERE originator_id = ? AND originator_version BETWEEN ? AND ?"
        )
        params: tuple[Any, ...] = (originator_id.hex, low, high)
    else:
        schema = datastore.schema or "public"
        statement = (
            f"SELECT originator_version AS v, notification_id AS p FROM {schema}.{table} "
            "WHERE originator_id = %s AND originator_version BETWEEN %s AND %s"
        )
        params = (originator_id, low, high)
    with datastore.transaction(commit=False) as curs:
        curs.execute(statement, params)
        rows = curs.fetchall()
    found = {int(row["v"]): int(row["p"]) for row in rows}
    return {v: found[v] for v in versions if v in found}


def positioned_page(
    recorder: ApplicationRecorder, originator_id: UUID, after_version: int, limit: int
) -> list[tuple[int, Row]]:
    """One aggregate's stored events after a version, oldest first, each with its position:
    one query where the library's `events.get` and `positions` would take two."""
    sql_recorder: Any = recorder
    table: str = sql_recorder.events_table_name
    datastore: Any = sql_recorder.datastore
    columns = "originator_version AS v, topic AS t, state AS s"
    if type(recorder).__module__.endswith("sqlite"):
        statement = (
            f"SELECT {columns}, rowid AS p FROM {table} WHERE originator_id = ? "
            "AND originator_version > ? ORDER BY originator_version LIMIT ?"
        )
        params: tuple[Any, ...] = (originator_id.hex, after_version, limit)
    else:
        schema = datastore.schema or "public"
        statement = (
            f"SELECT {columns}, notification_id AS p FROM {schema}.{table} "
            "WHERE originator_id = %s AND originator_version > %s "
            "ORDER BY originator_version LIMIT %s"
        )
        params = (originator_id, after_version, limit)
    with datastore.transaction(commit=False) as curs:
        curs.execute(statement, params)
        rows = curs.fetchall()
    return [(int(r["p"]), Row(originator_id, int(r["v"]), r["t"], bytes(r["s"]))) for r in rows]
