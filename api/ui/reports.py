"""The reports as pages (/ui/reports/agencies|compliance|deadlines|difficulties): the API's
report with its filters, a chart where people would rather look than read, and CSV or Excel
exports of every matching row. Each page asks the API's own report route, with the same scope."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api import access, spreadsheet
from api.auth import Principal
from api.errors import ApiProblem
from api.routers import reports as report_routes
from api.routers.readside import get_read_store, scope_of
from api.ui import charts, labels, listing, session
from api.ui.messages import FieldError
from api.ui.render import render
from api.ui.session import UiRoute
from domain.units import province_name
from domain.values import DifficultyStatus, Field

router = APIRouter(route_class=UiRoute)
Who = Annotated[Principal, Depends(session.principal)]
Row = dict[str, Any]
Column = tuple[str, Callable[[Row], Any]]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _host(r: Row) -> str:
    return str(r.get("ward_name") or province_name(int(r.get("province_code") or 0)) or "")


@dataclass(frozen=True)
class Report:
    """One report page: what it asks the API, its filters, its columns, its chart."""

    title: str
    intro: str
    filters: tuple[str, ...]
    columns: tuple[Column, ...]
    chart: Callable[[list[Row], Row], Sequence[charts.Bar]]
    chart_title: str


def _deadline_buckets(items: list[Row], extra: Row) -> list[charts.Bar]:
    today = datetime.now(labels.VIETNAM).date()
    found: Counter[str] = Counter()
    for r in items:
        left = (_day(r["term_end"]) or today) - today
        found[
            "Đã quá hạn kết thúc"
            if left.days < 0
            else "Trong 30 ngày tới"
            if left.days <= 30
            else "Từ 31 đến 90 ngày"
            if left.days <= 90
            else "Sau 90 ngày"
        ] += 1
    order = ("Đã quá hạn kết thúc", "Trong 30 ngày tới", "Từ 31 đến 90 ngày", "Sau 90 ngày")
    return [(k, found[k], None) for k in order if found[k]]


REPORTS: dict[str, Report] = {
    "agencies": Report(
        "Báo cáo theo cơ quan cử",
        "Mỗi cơ quan: số cán bộ đã cử, đang biệt phái, đã kết thúc.",
        ("province_code",),
        (
            ("Cơ quan cử", lambda r: r["home_agency"]),
            ("Số đề nghị", lambda r: r["requested"]),
            ("Cán bộ đã cử", lambda r: r["officials_sent"]),
            ("Chờ phê duyệt", lambda r: r["pending"]),
            ("Đang biệt phái", lambda r: r["active"]),
            ("Đã kết thúc", lambda r: r["ended"]),
            ("Rút về trước hạn", lambda r: r["recalled"]),
        ),
        lambda items, _: sorted(
            ((r["home_agency"], r["officials_sent"], None) for r in items), key=lambda b: -b[1]
        )[:15],
        "Số cán bộ đã cử theo cơ quan",
    ),
    "compliance": Report(
        "Báo cáo việc gửi báo cáo định kỳ",
        "Mỗi cán bộ đang biệt phái: số kỳ phải báo cáo, đã gửi, quá hạn.",
        ("ward_code", "overdue_only"),
        (
            ("Cán bộ", lambda r: r["full_name"]),
            ("Cơ quan cử", lambda r: r["home_agency"]),
            ("Nơi tiếp nhận", _host),
            ("Kỳ phải báo cáo", lambda r: r["due"]),
            ("Đã gửi", lambda r: r["submitted"]),
            ("Quá hạn", lambda r: r["overdue"]),
            ("Báo cáo gần nhất", lambda r: _day(r.get("last_report_on"))),
        ),
        lambda items, _: sorted(
            ((r["full_name"], r["overdue"], None) for r in items if r["overdue"]),
            key=lambda b: -b[1],
        )[:15],
        "Số kỳ quá hạn báo cáo (nhiều nhất)",
    ),
    "deadlines": Report(
        "Hồ sơ sắp hết thời hạn",
        "Hồ sơ đang biệt phái kết thúc trong số ngày đã chọn (hoặc đã quá hạn), sớm nhất trước.",
        ("within_days", "without_handover"),
        (
            ("Cán bộ", lambda r: r["full_name"]),
            ("Cơ quan cử", lambda r: r["home_agency"]),
            ("Nơi tiếp nhận", _host),
            ("Ngày kết thúc", lambda r: _day(r["term_end"])),
            ("Đã bắt đầu bàn giao", lambda r: "Có" if r["handover_started"] else "Chưa"),
        ),
        _deadline_buckets,
        "Số hồ sơ theo thời gian còn lại",
    ),
    "difficulties": Report(
        "Khó khăn, vướng mắc",
        "Các khó khăn, vướng mắc cán bộ phản ánh, theo tình trạng, lĩnh vực và xã.",
        ("status", "field", "ward_code"),
        (
            ("Tiêu đề", lambda r: r["title"]),
            ("Lĩnh vực", lambda r: labels.label(r["field"], "field")),
            ("Tình trạng", lambda r: labels.label(r["status"], "difficulty_status")),
            ("Báo cáo lên", lambda r: labels.label(r.get("escalated_to") or "", "level")),
            ("Cán bộ", lambda r: r["full_name"]),
            ("Nơi tiếp nhận", _host),
            ("Ngày phản ánh", lambda r: _day(r.get("raised_on"))),
        ),
        lambda _, extra: [
            (labels.label(k, "difficulty_status"), n, None)
            for k, n in extra.get("by_status", {}).items()
        ],
        "Số vướng mắc theo tình trạng",
    ),
}
CHOICES = {"status": {s.value for s in DifficultyStatus}, "field": {f.value for f in Field}}


def _arguments(report: Report, raw: dict[str, str]) -> tuple[dict[str, Any], list[FieldError]]:
    """The page's filters as the report route takes them; a bad one is named and left out."""
    found: dict[str, Any] = {}
    errors = []
    for name in report.filters:
        value = raw.get(name, "")
        if name in ("overdue_only", "without_handover"):
            found[name] = value == "on"
        elif not value:
            continue
        elif name in CHOICES:
            if value in CHOICES[name]:
                found[name] = DifficultyStatus(value) if name == "status" else Field(value)
            else:
                errors.append(FieldError(name, "enum"))
        elif value.isdigit() and (name != "within_days" or int(value) <= 3660):
            found[name] = int(value)
        else:
            errors.append(FieldError(name, "int_type"))
    return found, errors


def _ask(
    request: Request,
    principal: Principal,
    name: str,
    args: dict[str, Any],
    cursor: str | None,
    limit: int,
) -> Row:
    route = getattr(report_routes, name)
    answer = route(
        request, get_read_store(request), scope_of(principal), **args, limit=limit, cursor=cursor
    )
    found: Row = json.loads(bytes(answer.body))
    return found


def _report(name: str) -> Report:
    if name not in REPORTS:
        raise ApiProblem(404, "not-found", "Not Found", "no such report")
    return REPORTS[name]


def _raw(request: Request, report: Report) -> dict[str, str]:
    return {k: request.query_params.get(k, "").strip()[:200] for k in report.filters}


@router.get("/reports/{name}")
def report_page(request: Request, principal: Who, name: str, cursor: listing.Text = "") -> Response:
    """Một báo cáo: filters, chart, the rows (a page of 100), exports."""
    access.require(principal, access.READ)
    report = _report(name)
    raw = _raw(request, report)
    args, errors = _arguments(report, raw)
    found = _ask(request, principal, name, args, cursor or None, 100)
    items = found.pop("items")
    context = {
        "title": report.title,
        "report": report,
        "name": name,
        "shown": [k for k in report.filters if k != "province_code" or not principal.province_code],
        "f": raw,
        "errors": {e.field: e.message for e in errors},
        "rows": [[value(r) for _, value in report.columns] for r in items],
        "chart": report.chart(items, found),
        "next": found.get("next_cursor"),
        "first": bool(cursor),
        "query": urlencode({k: v for k, v in raw.items() if v}),
        "fields": labels.FIELDS,
        "statuses": labels.DIFFICULTY_STATUSES,
    }
    return render(request, "report.html", context, principal=principal)


def _all(request: Request, principal: Principal, name: str) -> Iterator[list[Any]]:
    access.require(principal, access.READ)
    report = _report(name)
    args, _ = _arguments(report, _raw(request, report))
    cursor, count = None, 0
    while count < listing.EXPORT_MOST:
        found = _ask(request, principal, name, args, cursor, listing.EXPORT_PAGE)
        count += len(found["items"])
        yield from ([value(r) for _, value in report.columns] for r in found["items"])
        cursor = found.get("next_cursor")
        if cursor is None:
            return


@router.get("/reports/{name}/export.csv")
def export_csv(request: Request, principal: Who, name: str) -> Response:
    rows = (
        [labels.vn_date(v) if isinstance(v, date) else v for v in r]
        for r in _all(request, principal, name)
    )
    names = [h for h, _ in _report(name).columns]
    return listing.csv_response(f"bao-cao-{name}", names, rows)


@router.get("/reports/{name}/export.xlsx")
def export_xlsx(request: Request, principal: Who, name: str) -> Response:
    names = [h for h, _ in _report(name).columns]
    return spreadsheet.xlsx_response(
        f"bao-cao-{name}", names, _all(request, principal, name), _report(name).title
    )
