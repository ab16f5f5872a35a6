"""Tokens already verified, until their `exp`: a client's repeated token costs a dict lookup
instead of a signature check. Only tokens that passed the verifier are kept; after `exp` the
next request goes through the verifier again (which decides with its leeway)."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable

import orjson

from api.auth import Principal, TokenVerifier

MAX_TOKENS = 10_000
MAX_SECONDS = 300.0
"""A kept token is checked again at least this often, whatever its `exp`."""


def expiry(token: str) -> float:
    """The `exp` of a token whose signature was verified (its payload is then authentic)."""
    payload = token.split(".")[1]
    claims = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return float(claims["exp"])


class VerifiedTokens:
    """The principal of each recently verified token, kept until its expiry."""

    def __init__(self, verifier: TokenVerifier, clock: Callable[[], float] = time.time) -> None:
        self.verifier, self.clock = verifier, clock
        self.kept: dict[str, tuple[Principal, float]] = {}

    def kept_principal(self, token: str) -> Principal | None:
        """The principal of a token verified before and not yet expired, else None."""
        found = self.kept.get(token)
        return found[0] if found is not None and self.clock() < found[1] else None

    def principal(self, token: str) -> Principal:
        """The token's principal: kept, or verified now (401 for a refused token)."""
        kept = self.kept_principal(token)
        if kept is not None:
            return kept
        now = self.clock()
        principal = self.verifier.principal(token)  # raises 401 for any token it refuses
        if len(self.kept) >= MAX_TOKENS:
            self.kept.clear()
        self.kept[token] = (principal, min(expiry(token), now + MAX_SECONDS))
        return principal
