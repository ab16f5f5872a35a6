"""Nhật ký (/ui/audit): every recorded event in the caller's scope, with the API's filters
(actor, type, commune, dates), pages, and CSV or Excel exports; for auditors, home affairs and
the ministry."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api import access, spreadsheet
from api.auth import Principal
from api.errors import ApiProblem
from api.routers import queries
from api.routers.readside import get_read_store
from api.ui import labels, listing, session
from api.ui.messages import FieldError
from api.ui.render import render
from api.ui.session import UiRoute

router = APIRouter(route_class=UiRoute)
Who = Annotated[Principal, Depends(session.principal)]
FILTERS = ("actor", "type", "ward_code", "from", "to")
PAGE, EXPORT_MOST = 50, 20_000
COLUMNS = (
    ("Vị trí", lambda e: e["position"]),
    ("Thời điểm ghi nhận", lambda e: datetime.fromisoformat(e["recorded_at"])),
    ("Sự kiện", lambda e: labels.label(e["type"], "event")),
    ("Hồ sơ", lambda e: e.get("secondment_id") or e.get("aggregate_id")),
    ("Phiên bản", lambda e: e["version"]),
    ("Người thực hiện", lambda e: e["actor"]["sub"]),
    ("Vai trò", lambda e: labels.label(e["actor"]["role"] or "", "role")),
    ("Từ trạng thái", lambda e: labels.label(e.get("from_state") or "", "state")),
    ("Sang trạng thái", lambda e: labels.label(e.get("to_state") or "", "state")),
    ("Ngày hiệu lực", lambda e: labels.vn_date(e.get("effective_on"))),
    ("Lý do", lambda e: e.get("reason") or ""),
)


def _filters(request: Request) -> tuple[dict[str, str], dict[str, Any], list[FieldError]]:
    raw = {k: request.query_params.get(k, "").strip()[:200] for k in FILTERS}
    errors = []
    days = {}
    for name in ("from", "to"):
        day = labels.parse_vn_date(raw[name]) if raw[name] else None
        if raw[name] and day is None:
            errors.append(FieldError(name, "date_format"))
        days[name] = day.isoformat() if day else None
    ward = raw["ward_code"]
    if ward and not ward.isdigit():
        errors.append(FieldError("ward_code", "int_type"))
    arguments = {
        "actor": raw["actor"] or None,
        "type": raw["type"] or None,
        "ward_code": int(ward) if ward.isdigit() else None,
        "since": days["from"],
        "until": days["to"],
    }
    return raw, arguments, errors


def _page(
    request: Request, principal: Principal, arguments: dict[str, Any], cursor: Any, limit: int
) -> Any:
    found = queries.audit(
        request, get_read_store(request), principal, **arguments, limit=limit, cursor=cursor
    )
    return json.loads(bytes(found.body))


@router.get("/audit")
def audit_page(request: Request, principal: Who, cursor: listing.Text = "") -> Response:
    """Nhật ký thao tác: who did what, when, to which record."""
    access.require(principal, access.AUDIT)
    raw, arguments, errors = _filters(request)
    page = _page(request, principal, arguments, cursor or None, PAGE)
    context = {
        "title": "Nhật ký thao tác",
        "rows": page["items"],
        "next": page["next_cursor"],
        "first": bool(cursor),
        "f": raw,
        "errors": {e.field: e.message for e in errors},
        "query": urlencode({k: v for k, v in raw.items() if v}),
        "events": labels.EVENTS,
    }
    return render(request, "audit.html", context, principal=principal)


def _all(request: Request, principal: Principal) -> Iterator[list[Any]]:
    access.require(principal, access.AUDIT)
    _, arguments, errors = _filters(request)
    if errors:
        raise ApiProblem(422, "invalid", "Unprocessable Content", errors[0].message)
    cursor, count = None, 0
    while count < EXPORT_MOST:
        page = _page(request, principal, arguments, cursor, listing.EXPORT_PAGE)
        count += len(page["items"])
        yield from ([value(e) for _, value in COLUMNS] for e in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return


@router.get("/audit/export.csv")
def export_csv(request: Request, principal: Who) -> Response:
    rows = (
        [labels.vn_datetime(v) if isinstance(v, datetime) else v for v in r]
        for r in _all(request, principal)
    )
    return listing.csv_response("nhat-ky", [n for n, _ in COLUMNS], rows)


@router.get("/audit/export.xlsx")
def export_xlsx(request: Request, principal: Who) -> Response:
    return spreadsheet.xlsx_response(
        "nhat-ky", [n for n, _ in COLUMNS], _all(request, principal), "Nhật ký"
    )
