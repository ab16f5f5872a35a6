"""Báo cáo học tập (/ui/study-visits/report): visits per commune and unit, participants per
month, and the communes of the province that have sent nobody; each table as CSV or .xlsx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api import spreadsheet
from api import visits as v
from api.auth import Principal
from api.errors import ApiProblem
from api.ui import session
from api.ui.listing import csv_response
from api.ui.render import render
from api.ui.session import UiRoute
from projections.base import Scope
from projections.store import Row
from projections.visits import StudyVisitsView

router = APIRouter(route_class=UiRoute)
Who = Annotated[Principal, Depends(session.principal)]
Table = Callable[[StudyVisitsView, Scope, int | None], list[Row]]
TABLES: dict[str, tuple[str, tuple[tuple[str, str], ...], Table]] = {
    "communes": (
        "Số đoàn theo xã, phường và đơn vị tiếp nhận",
        (("ward_name", "Xã, phường"), ("unit", "Đơn vị"), ("visits", "Số đoàn"),
         ("attended", "Đã đến"), ("participants", "Người đăng ký"), ("present", "Người có mặt")),
        lambda view, scope, p: view.by_commune_and_unit(scope, p),
    ),
    "months": (
        "Số người đến học tập theo tháng",
        (("month", "Tháng"), ("visits", "Số đoàn"), ("participants", "Số người")),
        lambda view, scope, p: view.participants_by_month(scope, p),
    ),
    "silent": (
        "Xã, phường chưa cử ai đến học tập",
        (("ward_code", "Mã"), ("ward_name", "Xã, phường")),
        lambda view, scope, p: view.silent_communes(scope, p) if p else [],
    ),
}  # fmt: skip


def _tables(request: Request, principal: Principal) -> dict[str, list[Row]]:
    scope = v.scope(principal)
    view = StudyVisitsView(request.app.state.read_store)
    return {name: make(view, scope, scope.province_code) for name, (_, _, make) in TABLES.items()}


@router.get("/study-visits/report")
def report_page(request: Request, principal: Who) -> Response:
    context: dict[str, Any] = {"title": "Báo cáo học tập tại Sở", "tables": TABLES}
    context["rows"] = _tables(request, principal)
    return render(request, "visit_report.html", context, 200, principal)


def _export(request: Request, principal: Principal, name: str) -> tuple[list[str], list[list[Any]]]:
    if name not in TABLES:
        raise ApiProblem(404, "not-found", "Not Found", "no such table")
    columns = TABLES[name][1]
    rows = _tables(request, principal)[name]
    return [label for _, label in columns], [[r.get(c) for c, _ in columns] for r in rows]


@router.get("/study-visits/report/{name}.csv")
def export_csv(request: Request, principal: Who, name: str) -> Response:
    names, rows = _export(request, principal, name)
    return csv_response(f"hoc-tap-{name}", names, rows)


@router.get("/study-visits/report/{name}.xlsx")
def export_xlsx(request: Request, principal: Who, name: str) -> Response:
    names, rows = _export(request, principal, name)
    return spreadsheet.xlsx_response(f"hoc-tap-{name}", names, rows, TABLES[name][0])
