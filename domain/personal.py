"""Personal data apart (Law on Personal Data Protection 91/2025/QH15): the personal fields of
events and snapshots are sealed (AES-GCM) under a key of the person they describe, so that
erasing a person is destroying their key (crypto-shredding) and the log is never rewritten.

The keys live outside the domain (a `Keyring`, one table per store, wrapped by the master key);
the domain only says which fields are personal, whose they are and what an erased one reads as.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import os
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ERASED = "[đã xóa]"
"""What an erased personal field reads as."""
NONCE_BYTES = 12

CURRENT: ContextVar[UUID | None] = ContextVar("personal_current_aggregate", default=None)
"""The aggregate whose event (or snapshot) is being stored or read in this thread."""


class KeyringMissing(RuntimeError):
    """Raised when personal data would be sealed or read without a keyring (a store opened
    without the master key): never stored in plain text instead."""


class Keyring(Protocol):
    """Per-person keys: created on first use, linked to the aggregates that hold the person's
    data, destroyed on erasure."""

    def pseudonym(self, personnel_id: str) -> str:
        """A keyed HMAC of the normalised personnel id (not reversible by trying ids)."""
        ...

    def link(self, aggregate_id: UUID, subject: str) -> None:
        """Makes sure `subject` has a key and that `aggregate_id`'s personal data uses it."""
        ...

    def key_of(self, aggregate_id: UUID) -> tuple[str, bytes | None]:
        """The key id linked to an aggregate and the key (None once destroyed)."""
        ...

    def key(self, key_id: str) -> bytes | None:
        """A key by id, None once destroyed."""
        ...

    def destroy(self, subject: str) -> int:
        """Destroys every key of a person; the number destroyed."""
        ...

    def aggregates(self, subject: str) -> list[UUID]:
        """The aggregates whose personal data is sealed under a (live) key of this person."""
        ...

    def forget(self) -> None:
        """Drops the keys this process keeps in memory (an erasure was recorded)."""
        ...

    def on_forget(self, callback: Callable[[], None]) -> None:
        """Calls `callback` whenever this keyring forgets its keys, so that what was unsealed
        under them and kept elsewhere (decoded snapshots) is dropped with them."""
        ...

    def trusted_until(self, aggregate_id: UUID) -> float:
        """Until when (`time.monotonic`) data unsealed now under the aggregate's key may be
        kept: the keyring looks the key up again then, and finds it destroyed if it was."""
        ...


def normalised(personnel_id: str) -> str:
    """One spelling per official: Unicode NFC, trimmed, case-folded."""
    return unicodedata.normalize("NFC", personnel_id).strip().casefold()


def keyed_pseudonym(secret: bytes, personnel_id: str) -> str:
    return hmac.new(secret, normalised(personnel_id).encode(), hashlib.sha256).hexdigest()


def seal(key: bytes, plaintext: bytes, key_id: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plaintext, key_id.encode())
    return base64.b64encode(nonce + sealed).decode("ascii")


def unseal(key: bytes, sealed: str, key_id: str) -> bytes:
    raw = base64.b64decode(sealed)
    return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], key_id.encode())


@contextmanager
def about(aggregate_id: Any) -> Iterator[None]:
    """Marks the aggregate whose event or snapshot is being stored or read."""
    token = CURRENT.set(aggregate_id)
    try:
        yield
    finally:
        CURRENT.reset(token)


class Personal:
    """A personal value on its way into storage (sealed by its transcoding)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class MemoryKeyring:
    """Keys in memory, for in-memory stores (the `popo` persistence of the unit tests)."""

    def __init__(self, secret: bytes | None = None) -> None:
        self.secret = secret or os.urandom(32)
        self.keys: dict[str, tuple[str, bytes]] = {}
        self.links: dict[UUID, str] = {}
        self.forgetting: list[Callable[[], None]] = []

    def pseudonym(self, personnel_id: str) -> str:
        return keyed_pseudonym(self.secret, personnel_id)

    def link(self, aggregate_id: UUID, subject: str) -> None:
        if aggregate_id in self.links and self.links[aggregate_id] in self.keys:
            return
        mine = [k for k, (s, _) in self.keys.items() if s == subject]
        key_id = mine[0] if mine else os.urandom(16).hex()
        self.keys.setdefault(key_id, (subject, AESGCM.generate_key(bit_length=256)))
        self.links[aggregate_id] = key_id

    def key_of(self, aggregate_id: UUID) -> tuple[str, bytes | None]:
        if aggregate_id not in self.links:
            raise KeyringMissing(f"no personal key is linked to aggregate {aggregate_id}")
        key_id = self.links[aggregate_id]
        return key_id, self.key(key_id)

    def key(self, key_id: str) -> bytes | None:
        found = self.keys.get(key_id)
        return found[1] if found else None

    def aggregates(self, subject: str) -> list[UUID]:
        mine = {k for k, (s, _) in self.keys.items() if s == subject}
        return [a for a, k in self.links.items() if k in mine]

    def forget(self) -> None:
        """Nothing is cached apart from the keys themselves; what was unsealed is dropped."""
        for callback in self.forgetting:
            callback()

    def on_forget(self, callback: Callable[[], None]) -> None:
        self.forgetting.append(callback)

    def trusted_until(self, aggregate_id: UUID) -> float:
        """Always: a destroyed key is gone at once, and `destroy` forgets."""
        return math.inf

    def destroy(self, subject: str) -> int:
        mine = [k for k, (s, _) in self.keys.items() if s == subject]
        for key_id in mine:
            del self.keys[key_id]
        self.forget()
        return len(mine)
