"""Queries over the read models: the list of secondments, the audit log, one decision, one
commune. Every answer is limited to the caller's scope."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import orjson
from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from api import access
from api.deps import PrincipalDep
from api.errors import ApiProblem, invalid
from api.pagination import Cursor, Limit, UnitCode
from api.routers.readside import OnDay, ScopeDep, cursor_value, page_response, reading, scope_of
from api.schemas.problems import READ, problems
from api.schemas.types import BusinessDate
from domain import lifecycle
from domain.values import Field, Kind
from projections.audit import AuditFilter, AuditView
from projections.base import split_fields
from projections.communes import CommunesView, present
from projections.decisions import DecisionsView
from projections.history import HistoryView
from projections.secondments import SecondmentFilter, SecondmentsView
from projections.store import ReadStore

router = APIRouter(tags=["queries"], responses=problems(READ))
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
HIDDEN = {"name_folded", "agency_key", "seq"}
State = StrEnum("State", [(name, name) for name in lifecycle.STATES])  # type: ignore[misc]
"""The lifecycle's states, as the `state` filter's enumeration."""


def secondment_item(row: dict[str, Any]) -> dict[str, Any]:
    item = {k: v for k, v in row.items() if k not in HIDDEN}
    item["id"] = item.pop("secondment_id")
    item["fields"] = split_fields(row["fields"])
    item["handover_started"] = bool(row["handover_started"])
    return item


@router.get("/v1/secondments")
def list_secondments(
    request: Request,
    store: Annotated[ReadStore, reading(SecondmentsView, HistoryView)],
    scope: ScopeDep,
    state: Annotated[list[State] | None, Query(description="One or more states")] = None,
    province_code: UnitCode = None,
    ward_code: UnitCode = None,
    home_agency: str | None = None,
    field: Field | None = None,
    kind: Kind | None = None,
    decision_number: str | None = None,
    ends_before: BusinessDate | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Name, diacritics ignored")] = None,
    active_on: Annotated[
        BusinessDate | None,
        Query(description="Only those deployed, reporting or in handover on this business day"),
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    with_total: bool = False,
) -> Response:
    """Danh sách: secondments in the caller's scope, filtered; `q` ignores diacritics.
    `with_total=true` adds `total`, the number matching on every page."""
    f = SecondmentFilter(
        tuple(str(s) for s in state or ()),
        province_code,
        ward_code,
        home_agency,
        field.value if field else None,
        kind.value if kind else None,
        decision_number,
        ends_before,
        q,
        active_on=active_on,
    )
    after = cursor_value(cursor, "seq", int, 0)
    view = SecondmentsView(store)
    page = view.search(f, scope, after, limit)
    items = [secondment_item(r) for r in page.items]
    if with_total:
        return page_response(request, items, page, total=view.count(f, scope))
    return page_response(request, items, page)


def moment(value: str | None, end_of_day: bool) -> datetime | None:
    """An RFC 3339 timestamp, or a business date (its start, or its end, in Vietnam)."""
    if value is None:
        return None
    try:
        if "T" not in value and len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day, time.max if end_of_day else time.min, VIETNAM)
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        at = None
    if at is None or at.tzinfo is None:
        name = "to" if end_of_day else "from"
        raise invalid(name, "an RFC 3339 timestamp with offset, or YYYY-MM-DD", "moment_format")
    return at


def audit_item(row: dict[str, Any]) -> dict[str, Any]:
    item = {k: v for k, v in row.items() if k not in ("agency_key", "actor_sub", "actor_role")}
    item["actor"] = {"sub": row["actor_sub"], "role": row["actor_role"]}
    item["data"] = orjson.loads(row["data"])
    return item


@router.get("/v1/audit")
def audit(
    request: Request,
    store: Annotated[ReadStore, reading(AuditView)],
    principal: PrincipalDep,
    actor: str | None = None,
    type: str | None = None,
    secondment_id: str | None = None,
    province_code: UnitCode = None,
    ward_code: UnitCode = None,
    since: Annotated[str | None, Query(alias="from", description="Recorded at or after")] = None,
    until: Annotated[str | None, Query(alias="to", description="Recorded at or before")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """Nhật ký: every recorded event in the caller's scope, oldest first."""
    scope = scope_of(principal, access.AUDIT)
    f = AuditFilter(
        actor,
        type,
        secondment_id,
        province_code,
        ward_code,
        moment(since, False),
        moment(until, True),
    )
    page = AuditView(store).search(f, scope, cursor_value(cursor, "position", int, 0), limit)
    return page_response(request, [audit_item(r) for r in page.items], page)


@router.get("/v1/decisions")
def decision(
    request: Request,
    store: Annotated[ReadStore, reading(DecisionsView)],
    scope: ScopeDep,
    number: Annotated[str, Query(min_length=1, max_length=100, examples=["2446/QĐ-UBND"])],
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """Một quyết định: the secondments it approved, by kind, field and host."""
    after = cursor_value(cursor, "seq", int, 0)
    summary, page = DecisionsView(store).decision(number, scope, after, limit)
    if summary is None:
        raise ApiProblem(404, "not-found", "Not Found", f"no decision {number} in your scope")
    items = [
        {
            **{k: v for k, v in r.items() if k not in ("agency_key", "seq")},
            "fields": split_fields(r["fields"]),
        }
        for r in page.items
    ]
    return page_response(request, items, page, csv_allowed=False, **summary)


@router.get("/v1/communes/{ward_code}")
def commune(
    ward_code: Annotated[int, Path(ge=1, le=99999)],
    store: Annotated[ReadStore, reading(CommunesView, HistoryView)],
    scope: ScopeDep,
    on: OnDay = None,
) -> dict[str, Any]:
    """Một xã: its declared needs, who is there now (or `on` a business day), and the fields
    still uncovered."""
    if on is None:
        summary, postings = CommunesView(store).commune(ward_code, scope)
    else:
        summary, postings = HistoryView(store).commune(ward_code, scope, on)
    in_area = scope.ward_code in (None, ward_code) and (
        summary is None or scope.province_code in (None, summary["province_code"])
    )
    if summary is None or not (
        postings or (in_area and scope.home_agency is None and scope.personnel_id is None)
    ):
        raise ApiProblem(404, "not-found", "Not Found", "commune not found")
    active = [
        {
            "id": p["secondment_id"],
            "full_name": p["full_name"],
            "state": p["state"],
            "kind": p["kind"],
            "fields": split_fields(p["fields"]),
            "home_agency": p["home_agency"],
        }
        for p in postings
    ]
    return {**present(summary), "active_secondments": active}
