"""The PostgreSQL event log without the table lock: appends run concurrently, and readers advance
only to where every notification id is settled (committed or rolled back).

eventsourcing's PostgreSQL recorder takes `LOCK TABLE … IN EXCLUSIVE MODE` on every append, so
that ids commit in id order and a reader never passes an id that commits later. That lock makes
every append in every API process wait for the one before it to commit. Here appends take only
the ROW EXCLUSIVE lock of any INSERT, which PostgreSQL takes before the INSERT draws its ids
from the sequence and holds until the transaction ends. So:

- A reader (`SettledLog`) hands out the gap-free run of rows after its position. An id that
  may still commit is never passed, and no id is handed out twice.
- At a gap it reads the sequence's last value L, then which transactions hold a write lock on
  the events table (`pg_locks`). Every id up to L was drawn by one of those, or by a
  transaction that had already ended. Once all of them have ended, an id up to L that is
  still missing was rolled back (or burnt by a failed insert): the reader reads again and
  passes it. A writer killed mid-transaction ends when PostgreSQL notices (at once for a
  closed connection, `idle_in_transaction_session_timeout` for a silent one).
- Followers are woken by a NOTIFY sent after the commit: inside the transaction it would take
  PostgreSQL's single notification lock through the commit's WAL flush and serialise appends
  again.

`api.settings` selects this recorder (`APPLICATION_RECORDER_TOPIC`) for every process on
PostgreSQL. A follower that reads without `SettledLog` could pass an id that commits later.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import Notification, PersistenceError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL, Identifier

TOPIC = f"{__name__}:ConcurrentRecorder"
log = logging.getLogger("secondments.eventlog")
HOLDS_THE_TABLE = (
    "relation = %s::regclass AND mode = 'RowExclusiveLock' "
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)
WRITERS = (
    f"SELECT DISTINCT virtualtransaction FROM pg_locks WHERE {HOLDS_THE_TABLE} "
    "AND pid <> pg_backend_pid()"
)
STILL_WRITING = (
    f"SELECT count(*) AS n FROM pg_locks WHERE {HOLDS_THE_TABLE} AND virtualtransaction = ANY(%s)"
)


class ConcurrentRecorder(PostgresApplicationRecorder):
    """Appends without the table lock, and notifies its followers after each commit."""

    def __init__(self, datastore: Any, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.lock_table_statements = []
        schema = datastore.schema or "public"
        self.table = Identifier(schema, events_table_name).as_string(None)
        self.sequence = SQL("SELECT last_value, is_called FROM {}").format(
            Identifier(schema, f"{events_table_name}_notification_id_seq")
        )
        self.notify = SQL("NOTIFY {}").format(Identifier(self.channel_name))
        self.rows_after = SQL(
            "SELECT * FROM {} WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
        ).format(Identifier(schema, events_table_name))

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        ids = super().insert_events(stored_events, **kwargs)
        try:
            with self.datastore.get_connection() as conn:
                conn.execute(self.notify)
        except PersistenceError:
            log.warning("appended, but could not notify the followers; they poll")
        return ids

    def _notify_channel(self, curs: Any) -> None:
        """Nothing inside the transaction: `insert_events` notifies after the commit."""


@dataclass(frozen=True)
class Horizon:
    """Ids up to `upto` are settled once the transactions `writers` have ended."""

    upto: int
    writers: list[str]


class SettledLog:
    """Reads a `ConcurrentRecorder`'s notifications in id order, never past an id that may
    still commit; `settled` is the id up to which every id is committed or rolled back."""

    def __init__(self, recorder: ConcurrentRecorder) -> None:
        self.recorder = recorder
        self.settled = 0
        self.pending: Horizon | None = None

    def select(self, after: int, limit: int) -> list[Notification]:
        """Up to `limit` notifications after `after`, stopping before an open gap."""
        with self.recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            found = self._rows(curs, after, limit)
            run = self._gap_free(after, found)
            if len(run) < len(found) and self._settle(curs):
                run = self._gap_free(after, self._rows(curs, after, limit))
        return run

    def _rows(self, curs: Any, after: int, limit: int) -> list[Notification]:
        rows = curs.execute(self.recorder.rows_after, (after, limit), prepare=True).fetchall()
        return [notification(r) for r in rows]

    def _settle(self, curs: Any) -> bool:
        """Whether the pending horizon (taken now if there is none) is settled; rows must be
        read again after it is (a writer may have committed since they were read)."""
        table = self.recorder.table
        if self.pending is None:
            row = curs.execute(self.recorder.sequence).fetchone()
            last = int(row["last_value"]) if row["is_called"] else 0
            writers = [r["virtualtransaction"] for r in curs.execute(WRITERS, (table,))]
            self.pending = Horizon(last, writers)
        if self.pending.writers:
            row = curs.execute(STILL_WRITING, (table, self.pending.writers)).fetchone()
            if row["n"]:
                return False
        self.settled = max(self.settled, self.pending.upto)
        self.pending = None
        return True

    def _gap_free(self, after: int, found: Sequence[Notification]) -> list[Notification]:
        run: list[Notification] = []
        expected = after + 1
        for n in found:
            if n.id != expected and n.id - 1 > self.settled:
                break
            run.append(n)
            expected = n.id + 1
        return run


def notification(row: Any) -> Notification:
    return Notification(
        id=row["notification_id"],
        originator_id=row["originator_id"],
        originator_version=row["originator_version"],
        topic=row["topic"],
        state=bytes(row["state"]),
    )


class WholeLog:
    """Reads any other recorder (SQLite, or PostgreSQL with the table lock) as it is."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder

    def select(self, after: int, limit: int) -> Sequence[Notification]:
        return list(self.recorder.select_notifications(after + 1, limit))


def reader(recorder: Any) -> SettledLog | WholeLog:
    """The safe way to follow this recorder's log."""
    if isinstance(recorder, ConcurrentRecorder):
        return SettledLog(recorder)
    return WholeLog(recorder)
