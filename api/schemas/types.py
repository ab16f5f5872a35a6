"""Bounded field types shared by the request models."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, StrictInt, StringConstraints
from pydantic import Field as Bound

STRICT = ConfigDict(extra="forbid", str_strip_whitespace=False)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: Any) -> Any:
    if isinstance(value, datetime):
        raise ValueError("expected a date YYYY-MM-DD, not a timestamp")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return value
    raise ValueError("expected a date YYYY-MM-DD")


BusinessDate = Annotated[date, BeforeValidator(_iso_date_only)]
"""A local business date in Vietnam, written YYYY-MM-DD."""

ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"\S")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=r"\S")]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=10000, pattern=r"\S")]
PersonnelId = Annotated[str, StringConstraints(pattern=r"^[\w./-]{1,64}$")]
UnitCode = Annotated[StrictInt, Bound(ge=1, le=99999)]
Count = Annotated[StrictInt, Bound(ge=0, le=1_000_000)]
Year = Annotated[StrictInt, Bound(ge=1950, le=2100)]
