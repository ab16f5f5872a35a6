"""The per-person keys of the event store, in their own tables beside the events, each wrapped
(AES-GCM) by the master key (SECONDMENTS_MASTER_KEY, or a key generated once in the data
directory). The master key also unwraps the secret of the pseudonyms (keyed HMAC of personnel
ids), so that rotating it changes no pseudonym. A store opened with another master key fails
at start (WrongMasterKey)."""

from __future__ import annotations

import base64
import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from api.storage import Database
from domain.personal import KeyringMissing, keyed_pseudonym, seal, unseal

MASTER_FILE = "master.key"
CHECK = b"secondment-registry:master-key-check"
CACHE_SECONDS = 60.0
"""How long a process keeps an unwrapped key (a destroyed key stops reading after this, at
most, in processes that did not destroy it; the one that did forgets it at once)."""


class WrongMasterKey(RuntimeError):
    """Raised at start when the master key is not the one the store's keys were wrapped with."""


def master_key(setting: str | None, data_dir: Path) -> bytes:
    """SECONDMENTS_MASTER_KEY (base64 of 32 bytes), or a key generated once in the data
    directory (0600)."""
    text = setting
    if not text:
        path = Path(data_dir) / MASTER_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            text = path.read_text(encoding="ascii").strip()
        else:
            text = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(text)
    key = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    if len(key) != 32:
        raise ValueError("SECONDMENTS_MASTER_KEY must be 32 bytes, base64-encoded")
    return key


def _check(master: bytes) -> str:
    return hmac.new(master, CHECK, "sha256").hexdigest()


class StoreKeyring:
    """Keys in `personal_keys` (key id, pseudonym, wrapped key), the aggregates that use them in
    `personal_links`, the master key's check and the wrapped pseudonym secret in
    `personal_master`."""

    def __init__(self, db: Database, master: bytes) -> None:
        self.db = db
        self.master = master
        self.keys, self.links = db.table("personal_keys"), db.table("personal_links")
        self.meta = db.table("personal_master")
        self.cache: dict[str, tuple[bytes | None, float]] = {}
        self.linked: dict[UUID, str] = {}
        self.lock = threading.Lock()
        self.secret = b""
        self.forgetting: list[Callable[[], None]] = []

    def open(self) -> StoreKeyring:
        """Creates the tables on first start, and checks the master key (WrongMasterKey)."""
        self.db.execute(
            f"CREATE TABLE IF NOT EXISTS {self.keys} (key_id TEXT PRIMARY KEY, "
            "subject TEXT NOT NULL, wrapped TEXT NOT NULL, created_at TEXT NOT NULL)"
        )
        self.db.execute(
            f"CREATE INDEX IF NOT EXISTS ix_personal_keys_subject ON {self.keys} (subject)"
        )
        self.db.execute(
            f"CREATE TABLE IF NOT EXISTS {self.links} "
            "(aggregate_id TEXT PRIMARY KEY, key_id TEXT NOT NULL)"
        )
        self.db.execute(
            f"CREATE TABLE IF NOT EXISTS {self.meta} "
            "(id INTEGER PRIMARY KEY, master_check TEXT NOT NULL, secret TEXT NOT NULL)"
        )
        secret = seal(self.master, secrets.token_bytes(32), "pseudonyms")
        self.db.execute(
            f"INSERT INTO {self.meta} VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING",
            (_check(self.master), secret),
        )
        row = self.db.query(f"SELECT master_check, secret FROM {self.meta} WHERE id = 1")[0]
        if not hmac.compare_digest(row["master_check"], _check(self.master)):
            raise WrongMasterKey(
                "SECONDMENTS_MASTER_KEY is not the master key of this store's personal keys"
            )
        self.secret = unseal(self.master, row["secret"], "pseudonyms")
        return self

    def pseudonym(self, personnel_id: str) -> str:
        if not self.secret:
            raise KeyringMissing("the keyring was not opened")
        return keyed_pseudonym(self.secret, personnel_id)

    def link(self, aggregate_id: UUID, subject: str) -> None:
        known = self.linked.get(aggregate_id)
        if known is not None and self.key(known) is not None:
            return
        rows = self.db.query(
            f"SELECT key_id FROM {self.keys} WHERE subject = ? ORDER BY created_at LIMIT 1",
            (subject,),
        )
        key_id = rows[0]["key_id"] if rows else self._create(subject)
        self.db.execute(
            f"INSERT INTO {self.links} VALUES (?, ?) "
            "ON CONFLICT (aggregate_id) DO UPDATE SET key_id = excluded.key_id",
            (str(aggregate_id), key_id),
        )
        self.linked[aggregate_id] = key_id

    def _create(self, subject: str) -> str:
        key_id = secrets.token_hex(16)
        key = AESGCM.generate_key(bit_length=256)
        self.db.execute(
            f"INSERT INTO {self.keys} VALUES (?, ?, ?, ?)",
            (key_id, subject, seal(self.master, key, key_id), datetime.now(UTC).isoformat()),
        )
        return key_id

    def key_of(self, aggregate_id: UUID) -> tuple[str, bytes | None]:
        key_id = self.linked.get(aggregate_id)
        if key_id is None:
            rows = self.db.query(
                f"SELECT key_id FROM {self.links} WHERE aggregate_id = ?", (str(aggregate_id),)
            )
            if not rows:
                raise KeyringMissing(f"no personal key is linked to aggregate {aggregate_id}")
            key_id = self.linked[aggregate_id] = rows[0]["key_id"]
        return key_id, self.key(key_id)

    def key(self, key_id: str) -> bytes | None:
        now = time.monotonic()
        cached = self.cache.get(key_id)
        if cached is not None and cached[1] > now:
            return cached[0]
        rows = self.db.query(f"SELECT wrapped FROM {self.keys} WHERE key_id = ?", (key_id,))
        key = unseal(self.master, rows[0]["wrapped"], key_id) if rows else None
        with self.lock:
            self.cache[key_id] = (key, now + CACHE_SECONDS)
        return key

    def preload(self, aggregate_ids: Iterable[UUID]) -> None:
        """Unwraps, in one query per 500, the keys linked to these aggregates that are not
        cached: decoding a batch of the log then asks the database nothing more per event
        (a destroyed key has no row; `key` still finds it missing, and caches that)."""
        wanted = list(dict.fromkeys(str(i) for i in aggregate_ids))
        now = time.monotonic()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self.db.query(
                f"SELECT l.aggregate_id, k.key_id, k.wrapped FROM {self.links} l "
                f"JOIN {self.keys} k ON k.key_id = l.key_id "
                f"WHERE l.aggregate_id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            found = {
                r["key_id"]: unseal(self.master, r["wrapped"], r["key_id"])
                for r in rows
                if (cached := self.cache.get(r["key_id"])) is None or cached[1] <= now
            }
            with self.lock:
                for key_id, key in found.items():
                    self.cache[key_id] = (key, now + CACHE_SECONDS)

    def destroy(self, subject: str) -> int:
        rows = self.db.query(f"SELECT key_id FROM {self.keys} WHERE subject = ?", (subject,))
        self.db.erase([(f"DELETE FROM {self.keys} WHERE subject = ?", (subject,))])
        self.forget()
        return len(rows)

    def aggregates(self, subject: str) -> list[UUID]:
        rows = self.db.query(
            f"SELECT l.aggregate_id FROM {self.links} l JOIN {self.keys} k "
            "ON k.key_id = l.key_id WHERE k.subject = ? ORDER BY l.aggregate_id",
            (subject,),
        )
        return [UUID(r["aggregate_id"]) for r in rows]

    def forget(self) -> None:
        """Drops every cached key (after an erasure seen in the log), and whatever was
        unsealed under them and kept by those that asked (`on_forget`)."""
        with self.lock:
            self.cache.clear()
        for callback in self.forgetting:
            callback()

    def on_forget(self, callback: Callable[[], None]) -> None:
        self.forgetting.append(callback)

    def trusted_until(self, aggregate_id: UUID) -> float:
        """When the aggregate's key leaves the cache (it is cached now if it was not): data
        unsealed under it is not to be served longer than the key itself."""
        key_id, _ = self.key_of(aggregate_id)
        cached = self.cache.get(key_id)
        return cached[1] if cached is not None else time.monotonic()

    def rotate(self, new_master: bytes) -> int:
        """Re-wraps every key and the pseudonym secret under `new_master` in one transaction;
        the number of keys re-wrapped. Restart every process with the new key afterwards."""
        rows = self.db.query(f"SELECT key_id, wrapped FROM {self.keys}")
        statements: list[tuple[str, tuple[str, ...]]] = [
            (
                f"UPDATE {self.keys} SET wrapped = ? WHERE key_id = ?",
                (
                    seal(new_master, unseal(self.master, r["wrapped"], r["key_id"]), r["key_id"]),
                    r["key_id"],
                ),
            )
            for r in rows
        ]
        statements.append(
            (
                f"UPDATE {self.meta} SET master_check = ?, secret = ? WHERE id = 1",
                (_check(new_master), seal(new_master, self.secret, "pseudonyms")),
            )
        )
        self.db.erase(statements)
        self.master = new_master
        return len(rows)
