"""The problem+json body (RFC 9457) and the error responses each route declares."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ProblemField(BaseModel):
    field: str
    message: str
    rule: str
    row: int | None = None
    """For a spreadsheet import: the row of the sheet (the header is row 1)."""
    column: str | None = None
    """For a spreadsheet import: the header of the column."""


class Problem(BaseModel):
    """An error: type, title, status, detail, and what the status needs besides."""

    type: str
    title: str
    status: int
    detail: str
    request_id: str | None = None
    state: str | None = None
    allowed_actions: list[str] | None = None
    expected_version: int | None = None
    current_version: int | None = None
    errors: list[ProblemField] | None = None
    free_weeks: list[str] | None = None
    """With `unit_week_full`: the next ISO weeks in which the unit has room."""


DESCRIPTIONS = {
    401: "No valid bearer token",
    403: "The caller's role may not do this",
    404: "Not found, or outside the caller's scope",
    409: "Illegal in the current state (`state`, `allowed_actions`)",
    412: "The `If-Match` version is stale",
    413: "The request body is too large",
    422: "Invalid input or a broken business rule (`errors` names field and rule)",
    500: "Unexpected error (logged with the request id)",
    503: "The database is unavailable",
}
READ = (401, 403, 404, 422, 500, 503)
COMMAND = (401, 403, 404, 409, 412, 413, 422, 500, 503)
CREATE = (401, 403, 413, 422, 500, 503)


def problems(codes: tuple[int, ...]) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": Problem, "description": DESCRIPTIONS[code]} for code in codes}
