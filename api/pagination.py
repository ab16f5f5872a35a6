"""Opaque cursors for paged lists: a small JSON position, base64url-encoded."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any

from fastapi import Query

from api.errors import invalid
from api.schemas.types import ANY_CONTROL

BIGINT = 2**63 - 1
"""The largest integer a filter, cursor or position may carry (SQLite and PostgreSQL BIGINT)."""
Limit = Annotated[int, Query(ge=1, le=500, description="Page size (default 50, max 500)")]
UnitCode = Annotated[
    int | None, Query(ge=1, le=99999, description="Official code of a province or commune")
]
CURSOR_PATTERN = "^[A-Za-z0-9_-]*$"
"""A cursor is unpadded base64url: anything else is no cursor this API issued."""
Cursor = Annotated[
    str | None,
    Query(max_length=512, pattern=CURSOR_PATTERN, description="Opaque cursor from `next_cursor`"),
]


def encode_cursor(position: dict[str, Any]) -> str:
    raw = json.dumps(position, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, Any]:
    """The position a cursor names ({} for the first page); 422 for a cursor we did not issue."""
    if not cursor:
        return {}
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = json.loads(raw)
    except (binascii.Error, ValueError):
        raise invalid("cursor", "not a cursor this API issued", "cursor_valid") from None
    if not isinstance(position, dict) or not all(map(_storable, position.values())):
        raise invalid("cursor", "not a cursor this API issued", "cursor_valid")
    return position


def _storable(value: Any) -> bool:
    if isinstance(value, int):
        return -BIGINT <= value <= BIGINT
    return not isinstance(value, str) or not ANY_CONTROL.search(value)
