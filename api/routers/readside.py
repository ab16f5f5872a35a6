"""Plumbing of the read-model queries: the read store and embedded runner (a lifespan hook),
read-your-writes (`min_position`), the caller's scope, cursors, and JSON or CSV pages."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api import access, spreadsheet
from api.deps import PrincipalDep
from api.errors import ApiProblem, invalid
from api.pagination import BIGINT, decode_cursor, encode_cursor
from api.responses import OrjsonResponse
from api.schemas.types import BusinessDate
from api.settings import bound_waits, projection_runner
from projections.base import Page, Scope, View
from projections.catalog import ReadModels
from projections.store import PostgresReadStore, ReadStore, open_store


@contextmanager
def read_side(app: FastAPI) -> Iterator[None]:
    """Opens the read store; with `run_projections` also runs the projections in a thread."""
    settings = app.state.settings
    store = open_store(settings)
    if isinstance(store, PostgresReadStore):
        bound_waits(store.pool, settings)
    ReadModels(store).setup(app.state.registry)
    app.state.read_store = store
    runner = None
    if settings.runs_projections:
        runner = projection_runner(settings, app.state.registry, store)
        runner.start()
    try:
        yield
    finally:
        if runner is not None:
            runner.stop()
        store.close()


def get_read_store(request: Request) -> ReadStore:
    store: ReadStore = request.app.state.read_store
    return store


def reading(*views: type[View]) -> Any:
    """The dependency of a query that reads these views' models: the read store, once those
    models (and only those) have caught up with `min_position` (else 503, Retry-After).

    A coroutine, so that the usual read (no `min_position`) takes no hop to the thread pool;
    only the wait, which blocks, runs there."""
    names = tuple(v.model for v in views)

    async def consistent(
        request: Request,
        min_position: Annotated[
            int | None,
            Query(ge=0, le=BIGINT, description="Wait (about 5 s) until the read models have it"),
        ] = None,
    ) -> ReadStore:
        store = get_read_store(request)
        if min_position is None:
            return store
        timeout = request.app.state.settings.min_position_timeout
        wait = ReadModels(store).wait
        if not await run_in_threadpool(wait, min_position, timeout, names):
            raise ApiProblem(
                503,
                "read-models-behind",
                "Service Unavailable",
                f"the read models {', '.join(names)} have not reached position {min_position} yet",
                {"Retry-After": "1"},
            )
        return store

    return Depends(consistent)


def scope_of(principal: Any, permission: str = access.READ) -> Scope:
    """The caller's scope for read-model queries; 403 for roles that read no secondments."""
    access.require(principal, permission)
    s = access.scope_filter(principal)
    return Scope(s.province_code, s.ward_code, s.home_agency, s.personnel_id)


async def reader_scope(principal: PrincipalDep) -> Scope:
    return scope_of(principal)


ScopeDep = Annotated[Scope, Depends(reader_scope)]
OnDay = Annotated[
    BusinessDate | None, Query(description="As it stood at the end of this business day")
]


def cursor_value(cursor: str | None, name: str, kind: type, default: Any) -> Any:
    """One field of a cursor we issued; 422 for anything else."""
    value = decode_cursor(cursor).get(name, default)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise invalid("cursor", "not a cursor this API issued", "cursor_valid")
    return value


def wants_csv(request: Request) -> bool:
    return "text/csv" in request.headers.get("accept", "")


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        value = ";".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return spreadsheet.csv_cell(value)


def to_csv(items: Sequence[Mapping[str, Any]], next_cursor: str | None) -> Response:
    out = io.StringIO()
    columns = list(dict.fromkeys(k for item in items for k in item))
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for item in items:
        writer.writerow({k: _cell(v) for k, v in item.items()})
    headers = {"X-Next-Cursor": next_cursor} if next_cursor else {}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


def page_response(
    request: Request,
    items: Sequence[Mapping[str, Any]],
    page: Page,
    csv_allowed: bool = True,
    **extra: Any,
) -> Response:
    """`{items, next_cursor, …}` as JSON, or the items as CSV or .xlsx when the caller asks."""
    next_cursor = encode_cursor(page.after) if page.after else None
    if csv_allowed and wants_csv(request):
        return to_csv(items, next_cursor)
    if csv_allowed and spreadsheet.wants_xlsx(request):
        columns = list(dict.fromkeys(k for item in items for k in item))
        rows = [[item.get(c) for c in columns] for item in items]
        name = request.url.path.rstrip("/").rsplit("/", 1)[-1]
        response = spreadsheet.xlsx_response(name, columns, rows)
        if next_cursor:
            response.headers["X-Next-Cursor"] = next_cursor
        return response
    return OrjsonResponse({**extra, "items": list(items), "next_cursor": next_cursor})
