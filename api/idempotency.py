"""Replays of idempotent requests: the first response per (token subject, Idempotency-Key).

A key is reserved (a pending row under the table's primary key) before its command runs, so of
concurrent requests with one key exactly one runs; the others wait for its response. A repeat
with the same method, path and body gets the stored response; a different request under the same
key is refused, also while the first is still running. A request that fails (an error response or
an exception) releases its key, so a retry runs again. The key also becomes the domain command id
(see `command_id`), so the domain records nothing new even if the stored response was lost.

Rows are kept under the subject's pseudonym (a keyed HMAC, see domain/personal.py) for
SECONDMENTS_IDEMPOTENCY_TTL_HOURS: an older row is no longer replayed, its key may be used again,
and the timers purge it. Rows stored before pseudonyms (under the plain subject) are still
replayed until they expire.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import NAMESPACE_URL, uuid5

from starlette.responses import Response

from api.storage import Database

TABLE = "api_idempotency"
REPLAYED_HEADERS = ("etag", "location")
PENDING = 0
"""The status of a reserved key whose request is still running."""
ABANDONED_AFTER = timedelta(minutes=2)
"""A reservation this old belongs to a process that died: it may be taken over."""


def fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256(f"{method}\n{path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def command_id(subject: str, key: str) -> str:
    return uuid5(NAMESPACE_URL, f"secondment-registry:idempotency:{subject}:{key}").hex


@dataclass(frozen=True)
class StoredResponse:
    """A response as first sent, and the fingerprint of the request that produced it."""

    fingerprint: str
    status: int
    headers: dict[str, str]
    body: str

    def response(self) -> Response:
        return Response(self.body, self.status, self.headers, media_type="application/json")


class IdempotencyStore:
    """The table of first responses, in the same database as the events."""

    def __init__(self, db: Database, ttl_hours: float = 24) -> None:
        self.db = db
        self.table = db.table(TABLE)
        self.ttl = timedelta(hours=ttl_hours)

    def cutoff(self, now: datetime | None = None) -> str:
        """Rows created before this moment have expired."""
        return ((now or datetime.now(UTC)) - self.ttl).isoformat()

    def create_table(self) -> None:
        self.db.execute(
            f"CREATE TABLE IF NOT EXISTS {self.table} ("
            "subject TEXT NOT NULL, idempotency_key TEXT NOT NULL, fingerprint TEXT NOT NULL, "
            "status INTEGER NOT NULL, headers TEXT NOT NULL, body TEXT NOT NULL, "
            "created_at TEXT NOT NULL, PRIMARY KEY (subject, idempotency_key))"
        )

    def find(self, subject: str, key: str) -> StoredResponse | None:
        """The key's unexpired row (a pending one too)."""
        rows = self.db.query(
            f"SELECT fingerprint, status, headers, body FROM {self.table} "
            "WHERE subject = ? AND idempotency_key = ? AND created_at >= ?",
            (subject, key, self.cutoff()),
        )
        if not rows:
            return None
        row = rows[0]
        headers = json.loads(row["headers"])
        return StoredResponse(row["fingerprint"], int(row["status"]), headers, row["body"])

    def reserve(self, subject: str, key: str, request: str) -> bool:
        """Takes the key for this request; False when another request holds it."""
        abandoned = (datetime.now(UTC) - ABANDONED_AFTER).isoformat()
        self.db.execute(
            f"DELETE FROM {self.table} WHERE subject = ? AND idempotency_key = ? "
            "AND (status = ? AND created_at < ? OR created_at < ?)",
            (subject, key, PENDING, abandoned, self.cutoff()),
        )
        taken = self.db.execute(
            f"INSERT INTO {self.table} VALUES (?, ?, ?, ?, '{{}}', '', ?) "
            "ON CONFLICT (subject, idempotency_key) DO NOTHING",
            (subject, key, request, PENDING, datetime.now(UTC).isoformat()),
        )
        return taken == 1

    def wait(self, subject: str, key: str, request: str, timeout: float) -> StoredResponse | None:
        """The key's row once its request has finished, or at once when it holds a different
        request (None: released; a PENDING row: still running after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while True:
            stored = self.find(subject, key)
            if stored is None or stored.status != PENDING or stored.fingerprint != request:
                return stored
            if time.monotonic() > deadline:
                return stored
            time.sleep(0.02)

    def remember(self, subject: str, key: str, response: Response) -> None:
        headers = {k: v for k, v in response.headers.items() if k in REPLAYED_HEADERS}
        body = bytes(response.body).decode("utf-8")
        self.db.execute(
            f"UPDATE {self.table} SET status = ?, headers = ?, body = ? "
            "WHERE subject = ? AND idempotency_key = ? AND status = ?",
            (response.status_code, json.dumps(headers), body, subject, key, PENDING),
        )

    def release(self, subject: str, key: str) -> None:
        self.db.execute(
            f"DELETE FROM {self.table} WHERE subject = ? AND idempotency_key = ? AND status = ?",
            (subject, key, PENDING),
        )

    def purge(self, now: datetime | None = None) -> int:
        """Deletes the expired rows (securely on SQLite); how many there were."""
        cutoff = self.cutoff(now)
        found = self.db.query(
            f"SELECT COUNT(*) AS n FROM {self.table} WHERE created_at < ?", (cutoff,)
        )
        count = int(found[0]["n"])
        if count:
            self.db.erase([(f"DELETE FROM {self.table} WHERE created_at < ?", (cutoff,))])
        return count

    def forget(self, secondment_ids: list[str]) -> None:
        """Deletes every stored response that shows one of these secondments (erasure)."""
        self.db.erase(
            [(f"DELETE FROM {self.table} WHERE body LIKE ?", (f"%{i}%",)) for i in secondment_ids]
        )
