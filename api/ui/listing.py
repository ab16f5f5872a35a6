"""The list of secondments: the API's filters and diacritic-free search, pages, CSV and Excel.

Rows come from the same view, filter and item shape as GET /v1/secondments.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from api import spreadsheet
from api.auth import Principal
from api.routers import queries
from api.routers.readside import get_read_store, scope_of
from api.ui import labels, session
from api.ui.messages import FieldError
from api.ui.render import render
from api.ui.session import UiRoute
from domain.units import all_provinces, all_wards
from domain.values import Field, Kind

router = APIRouter(route_class=UiRoute)
Who = Annotated[Principal, Depends(session.principal)]
Text = Annotated[str, Query(max_length=200)]
PAGE, EXPORT_PAGE, EXPORT_MOST = 50, 500, 20_000
FILTERS = (
    "q",
    "state",
    "kind",
    "field",
    "province_code",
    "ward_code",
    "home_agency",
    "decision_number",
    "ends_before",
)
COLUMNS = (
    ("Họ tên", lambda r: r["full_name"]),
    ("Mã cán bộ", lambda r: r["personnel_id"]),
    ("Trạng thái", lambda r: labels.label(r["state"], "state")),
    ("Hình thức", lambda r: labels.label(r["kind"], "kind")),
    ("Lĩnh vực", lambda r: ", ".join(labels.label(f, "field") for f in r["fields"])),
    ("Cơ quan cử", lambda r: r["home_agency"]),
    ("Tỉnh, thành phố", lambda r: r.get("province_name")),
    ("Xã, phường", lambda r: r.get("ward_name")),
    ("Quyết định", lambda r: r.get("decision_number")),
    ("Từ ngày", lambda r: _day(r.get("term_start") or r.get("planned_start"))),
    ("Đến ngày", lambda r: _day(r.get("ends_on") or r.get("planned_end"))),
    ("Ngày đến nhận nhiệm vụ", lambda r: _day(r.get("arrived_on"))),
    ("Số báo cáo", lambda r: r.get("reports")),
)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


@dataclass
class Filters:
    """The list's filters as typed in the form, and the view's filter made from them."""

    raw: dict[str, str]
    errors: list[FieldError] = field(default_factory=list)

    def _code(self, name: str) -> int | None:
        value = self.raw.get(name, "")
        if value and not value.isdigit():
            self.errors.append(FieldError(name, "int_type"))
        return int(value) if value.isdigit() else None

    def _choice(self, name: str, table: dict[str, str]) -> str | None:
        value = self.raw.get(name, "")
        if value and value not in table:
            self.errors.append(FieldError(name, "enum"))
        return value if value in table else None

    def arguments(self) -> dict[str, Any]:
        """The filters as GET /v1/secondments takes them; a bad one is named, then left out."""
        ends = self.raw.get("ends_before", "")
        ends_before = labels.parse_vn_date(ends) if ends else None
        if ends and ends_before is None:
            self.errors.append(FieldError("ends_before", "date_format"))
        state = self._choice("state", labels.STATES)
        field_ = self._choice("field", labels.FIELDS)
        kind = self._choice("kind", labels.KINDS)
        return {
            "state": [state] if state else None,
            "province_code": self._code("province_code"),
            "ward_code": self._code("ward_code"),
            "home_agency": self.raw.get("home_agency") or None,
            "field": Field(field_) if field_ else None,
            "kind": Kind(kind) if kind else None,
            "decision_number": self.raw.get("decision_number") or None,
            "ends_before": ends_before,
            "q": self.raw.get("q") or None,
        }

    @property
    def query(self) -> str:
        return urlencode({k: v for k, v in self.raw.items() if v})


def _filters(request: Request) -> Filters:
    return Filters({k: request.query_params.get(k, "").strip()[:200] for k in FILTERS})


def _wards(principal: Principal, filters: Filters) -> list[tuple[int, str]]:
    chosen = filters.raw.get("province_code", "")
    province = principal.province_code or (int(chosen) if chosen.isdigit() else None)
    if principal.ward_code or province is None:
        return []
    return sorted((c, n) for c, n, p in all_wards() if p == province)


@router.get("/secondments")
def list_page(request: Request, principal: Who, cursor: Text = "") -> Response:
    """Danh sách hồ sơ: filters, search without diacritics, 50 a page."""
    filters = _filters(request)
    arguments = {**filters.arguments(), "with_total": True}
    page = page_of(request, principal, arguments, cursor or None, PAGE)
    context = {
        "total": page["total"],
        "title": "Danh sách hồ sơ biệt phái",
        "rows": page["items"],
        "next": page["next_cursor"],
        "first": bool(cursor),
        "f": filters.raw,
        "errors": {e.field: e.message for e in filters.errors},
        "query": filters.query,
        "provinces": all_provinces() if principal.province_code is None else [],
        "wards": _wards(principal, filters),
    }
    return render(request, "list.html", context, principal=principal)


def page_of(
    request: Request,
    principal: Principal,
    arguments: dict[str, Any],
    cursor: str | None,
    limit: int,
) -> Any:
    """One page exactly as GET /v1/secondments answers it (scope, filters, search, cursor)."""
    store, scope = get_read_store(request), scope_of(principal)
    found = queries.list_secondments(request, store, scope, **arguments, limit=limit, cursor=cursor)
    return json.loads(bytes(found.body))


def _all_rows(request: Request, principal: Principal) -> Iterator[dict[str, Any]]:
    arguments, cursor, count = _filters(request).arguments(), None, 0
    while count < EXPORT_MOST:
        page = page_of(request, principal, arguments, cursor, EXPORT_PAGE)
        count += len(page["items"])
        yield from page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return


def _rows(rows: Iterator[dict[str, Any]]) -> Iterator[list[Any]]:
    for r in rows:
        values = [value(r) for _, value in COLUMNS]
        yield [labels.vn_date(v) if isinstance(v, date) else v for v in values]


def csv_response(filename: str, names: list[str], rows: Iterable[list[Any]]) -> Response:
    """A CSV attachment (UTF-8 with BOM, so Excel reads the Vietnamese right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([spreadsheet.csv_cell(v) for v in r] for r in rows)
    return Response(
        out.getvalue().encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )


@router.get("/secondments/export.csv")
def export_csv(request: Request, principal: Who) -> Response:
    """The filtered list as CSV."""
    names = [name for name, _ in COLUMNS]
    return csv_response("danh-sach-biet-phai", names, _rows(_all_rows(request, principal)))


@router.get("/secondments/export.xlsx")
def export_xlsx(request: Request, principal: Who) -> Response:
    """The filtered list as an Excel workbook (dates as dates, shown dd/mm/yyyy)."""
    rows = ([value(r) for _, value in COLUMNS] for r in _all_rows(request, principal))
    names = [name for name, _ in COLUMNS]
    return spreadsheet.xlsx_response("danh-sach-biet-phai", names, rows, "Danh sách")
