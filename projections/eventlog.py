"""The PostgreSQL event log without the table lock: appends run concurrently, and readers advance
only to where every notification id is settled (committed or rolled back).

eventsourcing's PostgreSQL recorder takes `LOCK TABLE … IN EXCLUSIVE MODE` on every append, so
that ids commit in id order and a reader never passes an id that commits later. That lock makes
every append in every API process wait for the one before it to commit. Here appends take no
table lock; instead:

- A writer takes its transaction id (`pg_current_xact_id()`) before the sequence hands it
  notification ids, so an id handed out is always held by a transaction that already has an id.
- A reader (`SettledLog`) reads the sequence's last value L, then the current snapshot's
  `xmax`, then the rows. Every id up to L belongs to a transaction below that `xmax`; once
  `pg_snapshot_xmin` of a later snapshot has passed it, all of them have ended, and an id up to
  L that is still missing was rolled back (or burnt by a failed insert): the reader passes it.
- Until then the reader hands out only the gap-free run of rows after its position: an id that
  may still commit is never passed, and no id is handed out twice.

Every process that appends must use this recorder (`APPLICATION_RECORDER_TOPIC`): a writer that
takes its ids before its transaction id could be missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import Notification
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL, Identifier

TOPIC = f"{__name__}:ConcurrentRecorder"


class ConcurrentRecorder(PostgresApplicationRecorder):
    """Appends without the table lock; each transaction has its id before it takes ids."""

    def __init__(self, datastore: Any, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.lock_table_statements = [SQL("SELECT pg_current_xact_id()")]
        self.sequence = SQL("SELECT last_value, is_called FROM {}").format(
            Identifier(datastore.schema or "public", f"{events_table_name}_notification_id_seq")
        )
        self.rows_after = SQL(
            "SELECT * FROM {} WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
        ).format(Identifier(datastore.schema or "public", events_table_name))


SNAPSHOT = SQL(
    "SELECT pg_snapshot_xmin(s)::text::bigint AS xmin, pg_snapshot_xmax(s)::text::bigint AS xmax "
    "FROM pg_current_snapshot() AS s"
)


@dataclass(frozen=True)
class Horizon:
    """Ids up to `upto` are settled once every transaction id below `xmax` has ended."""

    upto: int
    xmax: int


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
            last = self._handed_out(curs)
            snapshot: Any = curs.execute(SNAPSHOT).fetchone()
            self._settle(last, int(snapshot["xmin"]), int(snapshot["xmax"]))
            rows = curs.execute(self.recorder.rows_after, (after, limit), prepare=True).fetchall()
        return self._gap_free(after, [notification(r) for r in rows])

    def _handed_out(self, curs: Any) -> int:
        row = curs.execute(self.recorder.sequence).fetchone()
        return int(row["last_value"]) if row["is_called"] else 0

    def _settle(self, last: int, xmin: int, xmax: int) -> None:
        if self.pending is not None and xmin >= self.pending.xmax:
            self.settled = max(self.settled, self.pending.upto)
            self.pending = None
        if xmin >= xmax:
            self.settled = max(self.settled, last)
        elif self.pending is None and last > self.settled:
            self.pending = Horizon(last, xmax)

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
