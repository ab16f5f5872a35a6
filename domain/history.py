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
    fact dated on or before it, and recorded by `known_at` when given. An undated request
    exists from the day it was recorded, or from an earlier fact dated on or before `day`."""
    record: Any = None
    existed = undated = False
    for event in events:
        if known_at is not None and event.timestamp > known_at:
            break
        dated = effective_on(event) <= day
        if record is None:
            record, existed, undated = event.mutate(None), dated, event.effective_on is None
        elif dated:
            record.version = event.originator_version - 1  # facts dated later leave gaps
            record = event.mutate(record)
            existed = existed or undated
    return record if existed else None
