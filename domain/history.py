"""A secondment as it stood on a business day: its facts folded by the dates they took effect.

Facts on the state path are recorded in business-date order (the application refuses others),
so the facts dated on or before a day are a consistent history of that day. Knowledge can be
limited to what was recorded by a moment (`known_at`), for "on D, as the registry knew it at T".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.corrections import DATE_OF

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def business_day(moment: datetime) -> date:
    """The day a moment falls on in Vietnam."""
    return moment.astimezone(VIETNAM).date()


def effective_on(event: Any) -> date:
    """The business date of a recorded fact; an undated request counts from the day it was
    recorded."""
    day: date | None = event.effective_on
    return day if day is not None else business_day(event.timestamp)


def on_day(events: Iterable[Any], day: date, known_at: datetime | None = None) -> Any | None:
    """The record at the end of business day `day` (None: it did not exist yet), from every
    fact dated on or before it (by its corrected date), with the corrections of those facts,
    as recorded by `known_at` when given. An undated request exists from the day it was
    recorded, or from an earlier fact dated on or before `day`."""
    known = [e for e in events if known_at is None or e.timestamp <= known_at]
    corrected = corrected_dates(known)
    existed = undated = False

    def include(event: Any) -> bool:
        nonlocal existed, undated
        dated = corrected.get(event.originator_version, effective_on(event)) <= day
        if event.originator_version == 1:
            existed, undated = dated, event.effective_on is None
        elif dated:
            existed = existed or undated
        return dated or event.originator_version == 1

    record = fold(known, include)
    return record if existed else None


def before(events: Iterable[Any], version: int) -> Any | None:
    """The record just before the fact at `version`, with every correction of earlier facts."""
    return fold(list(events), lambda e: e.originator_version < version)


def fold(events: list[Any], include: Any) -> Any | None:
    """Mutates a record by the facts `include` accepts, in recorded order, each followed by the
    corrections of it (corrections are not facts of their own here)."""
    corrections: dict[int, list[Any]] = {}
    for e in events:
        if is_correction(e):
            corrections.setdefault(e.corrects_version, []).append(e)
    record: Any = None
    for event in events:
        if is_correction(event) or not include(event):
            continue
        for applied in (event, *corrections.get(event.originator_version, ())):
            if record is not None:
                record.version = applied.originator_version - 1  # facts left out leave gaps
            record = applied.mutate(record)
    return record


def is_correction(event: Any) -> bool:
    return hasattr(event, "corrects_version")


def corrected_dates(events: Iterable[Any]) -> dict[int, date]:
    """The business date of each fact whose date a correction changed, by the fact's version."""
    found: dict[int, date] = {}
    for e in events:
        name = DATE_OF.get(e.fact) if is_correction(e) else None
        if name is not None and name in e.changes:
            found[e.corrects_version] = e.changes[name]
    return found
