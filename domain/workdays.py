"""Vietnam's public-sector working days: no weekends, no public holidays, and the days the
government swaps (e.g. 2025: Saturday 26 April worked, Friday 2 May off).

The calendar is the `holidays` package's `VN` one, read once per year into frozen sets.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

SATURDAY = 5


@lru_cache(maxsize=256)
def _year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """The public holidays (days off) and the swapped weekend days worked, of one year."""
    calendar = holidays.country_holidays("VN", years=year)
    days_off = frozenset(day for day in calendar if day.year == year)
    worked = frozenset(day for day in calendar.weekend_workdays if day.year == year)
    return days_off, worked


def is_working_day(day: date) -> bool:
    """Whether offices are open on a day."""
    days_off, worked = _year(day.year)
    if day.weekday() >= SATURDAY:
        return day in worked
    return day not in days_off


def nth_working_day_after(day: date, n: int) -> date:
    """The n-th working day after a day (the day itself when n is 0)."""
    found = day
    while n > 0:
        found += timedelta(days=1)
        if is_working_day(found):
            n -= 1
    return found
