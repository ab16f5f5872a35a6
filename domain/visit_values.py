"""Values of the study visits: a participant, and ISO weeks ("2026-W03") as the department
plans them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True)
class Participant:
    """A commune official coming to learn (personal data: sealed in storage)."""

    full_name: str
    position: str


def week_of(day: date) -> str:
    """The ISO week a day lies in, e.g. "2026-W03"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(week: str) -> date:
    """The Monday of an ISO week; ValueError for text that is not one."""
    found = ISO_WEEK.fullmatch(week)
    if found is None:
        raise ValueError(f"{week!r} is not an ISO week such as 2026-W03")
    return date.fromisocalendar(int(found.group(1)), int(found.group(2)), 1)


def is_week(text: str) -> bool:
    try:
        week_monday(text)
    except ValueError:
        return False
    return True


def weeks_after(week: str, count: int) -> list[str]:
    """The `count` ISO weeks that follow `week`."""
    monday = week_monday(week)
    return [week_of(monday + timedelta(weeks=k)) for k in range(1, count + 1)]


def unit_key(unit: str) -> str:
    """A department unit's name as compared (Unicode NFC, trimmed, case-folded)."""
    return " ".join(unicodedata.normalize("NFC", unit).casefold().split())
