"""Bounded field types shared by the request models."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, StrictInt, StringConstraints
from pydantic import Field as Bound
from pydantic_core import PydanticCustomError

STRICT = ConfigDict(extra="forbid", str_strip_whitespace=False)


def with_examples(*examples: dict[str, Any]) -> ConfigDict:
    """A request body's config: unknown fields rejected, and these examples in the OpenAPI
    document."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples)})


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


BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Bidirectional embedding, override and isolate controls: they make a name read otherwise than
it is (U+202E shows "gnp.exe" as "exe.png") in lists, exports and logs."""
_REFUSED = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
ANY_TEXT = f"^[^{_REFUSED}]*$"
"""What `Plain` lets through, stated as a pattern for the OpenAPI document."""
SOME_TEXT = f"^[^{_REFUSED}]*[^{_REFUSED}\\s][^{_REFUSED}]*$"
"""The same, with at least one character that is not white space."""


def _plain(value: str) -> str:
    if CONTROL.search(value):
        raise ValueError("control characters are not allowed")
    if BIDI.search(value):
        raise PydanticCustomError(
            "no_bidi_controls",
            "bidirectional control characters (U+202A-U+202E, U+2066-U+2069) are not allowed",
        )
    return value


Plain = AfterValidator(_plain)
Documented = Bound(json_schema_extra={"pattern": SOME_TEXT})
"""States in the OpenAPI document what `\\S` and `Plain` enforce together (each check keeps
its own rule name in a 422)."""
ShortText = Annotated[
    str, StringConstraints(min_length=1, max_length=200, pattern=r"\S"), Plain, Documented
]
Text = Annotated[
    str, StringConstraints(min_length=1, max_length=2000, pattern=r"\S"), Plain, Documented
]
LongText = Annotated[
    str, StringConstraints(min_length=1, max_length=10000, pattern=r"\S"), Plain, Documented
]
Note = Annotated[
    str, StringConstraints(max_length=2000), Plain, Bound(json_schema_extra={"pattern": ANY_TEXT})
]
PersonnelId = Annotated[str, StringConstraints(pattern=r"^[\w./-]{1,64}$")]
UnitCode = Annotated[StrictInt, Bound(ge=1, le=99999)]
Count = Annotated[StrictInt, Bound(ge=0, le=1_000_000)]
Year = Annotated[StrictInt, Bound(ge=1950, le=2100)]
