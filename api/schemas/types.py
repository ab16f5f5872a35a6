"""Bounded field types shared by the request models."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, StrictInt, StringConstraints
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

ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""Every control character: none belongs in a query parameter or a cursor."""
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
"""Control characters (all but tab, line feed and carriage return) and lone surrogates: they
cannot be stored in PostgreSQL text, break CSV and terminals, and no one writes them."""


def _plain(value: str) -> str:
    if CONTROL.search(value):
        raise ValueError("control characters are not allowed")
    return value


Plain = AfterValidator(_plain)
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"\S"), Plain]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=r"\S"), Plain]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=10000, pattern=r"\S"), Plain]
Note = Annotated[str, StringConstraints(max_length=2000), Plain]
PersonnelId = Annotated[str, StringConstraints(pattern=r"^[\w./-]{1,64}$")]
UnitCode = Annotated[StrictInt, Bound(ge=1, le=99999)]
Count = Annotated[StrictInt, Bound(ge=0, le=1_000_000)]
Year = Annotated[StrictInt, Bound(ge=1950, le=2100)]
