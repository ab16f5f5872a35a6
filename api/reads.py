"""Reads straight from the event store: one secondment now, in the past, and its audit trail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from uuid import UUID

from api import access, presenters
from api.auth import Principal
from api.errors import invalid, secondment_not_found
from api.pagination import decode_cursor, encode_cursor
from api.schemas.views import EventPage
from domain.application import SecondmentRegistry, StoredEvent
from domain.secondment import Secondment


def visible(
    registry: SecondmentRegistry, principal: Principal, secondment_id: UUID, first: bool = False
) -> Secondment:
    """The secondment, if the caller may read it; 403 for roles that read none, else 404.

    What scopes a secondment (host, home agency, official) is fixed by its request, so with
    `first` the check reads only the first version: enough for reads of its past and its trail.
    """
    access.require(principal, access.READ)
    s = registry.get(secondment_id, version=1 if first else None)
    if not access.can_read(principal, s):
        raise secondment_not_found()
    return s


def past(
    registry: SecondmentRegistry,
    s: Secondment,
    version: int | None,
    as_of: datetime | None,
    on: date | None = None,
) -> Secondment | None:
    """The secondment at a version, as recorded at a moment, on a business day (as known now
    or at a moment); None for the current record."""
    if version is not None and (as_of is not None or on is not None):
        field = "as_of" if as_of is not None else "on"
        raise invalid(field, f"give either version or {field}, not both", "one_past_selector")
    if on is not None:
        return registry.on(s.id, on, as_of)
    if version is not None:
        return registry.get(s.id, version=version)
    if as_of is not None:
        return registry.as_of(s.id, as_of)
    return None


def events_page(
    registry: SecondmentRegistry, s: Secondment, cursor: str | None, limit: int, sensitive: bool
) -> EventPage:
    return history_page(lambda after, n: registry.history(s.id, after, n), cursor, limit, sensitive)


def history_page(
    history: Callable[[int, int], list[StoredEvent]],
    cursor: str | None,
    limit: int,
    sensitive: bool,
) -> EventPage:
    """A page of one record's audit trail; `history(after_version, limit)` reads its events."""
    after = decode_cursor(cursor).get("after_version", 0)
    if not isinstance(after, int) or after < 0:
        raise invalid("cursor", "not a cursor this API issued", "cursor_valid")
    stored = history(after, limit + 1)
    page = stored[:limit]
    more = len(stored) > limit
    next_cursor = (
        encode_cursor({"after_version": page[-1].event.originator_version}) if more else None
    )
    return EventPage(items=[presenters.event(e, sensitive) for e in page], next_cursor=next_cursor)
