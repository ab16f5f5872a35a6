"""Reports over the read models, as JSON pages or as CSV (`Accept: text/csv`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api import spreadsheet
from api.pagination import Cursor, Limit, UnitCode
from api.routers.readside import OnDay, ScopeDep, cursor_value, page_response, reading, wants_csv
from api.schemas.problems import READ, problems
from api.schemas.types import BusinessDate
from domain.values import DifficultyStatus, EscalationLevel, Field
from projections.agencies import AgenciesView
from projections.allowances import AllowancesView, Month
from projections.communes import CommuneFilter, CommunesView, present
from projections.compliance import ComplianceFilter, ComplianceView
from projections.deadlines import DeadlinesView
from projections.difficulties import DifficultiesView, DifficultyFilter
from projections.history import HistoryView
from projections.returns import ReturnsView
from projections.store import ReadStore

router = APIRouter(prefix="/v1/reports", tags=["reports"], responses=problems(READ))
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
On = Annotated[
    BusinessDate | None, Query(description="The day to report for (default: today in Vietnam)")
]


def today(on: date | None) -> date:
    return on or datetime.now(VIETNAM).date()


@router.get("/communes")
def communes(
    request: Request,
    store: Annotated[ReadStore, reading(CommunesView, HistoryView)],
    scope: ScopeDep,
    province_code: UnitCode = None,
    ward_code: UnitCode = None,
    field: Field | None = None,
    uncovered_only: bool = False,
    on: OnDay = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """Per commune: active secondments by field, and the needed fields still uncovered (now, or
    `on` a business day)."""
    f = CommuneFilter(province_code, ward_code, uncovered_only, field.value if field else None)
    after = cursor_value(cursor, "ward", int, 0)
    if on is None:
        page = CommunesView(store).report(f, scope, after, limit)
    else:
        page = HistoryView(store).communes(f, scope, on, after, limit)
    return page_response(request, [present(r) for r in page.items], page)


@router.get("/agencies")
def agencies(
    request: Request,
    store: Annotated[ReadStore, reading(AgenciesView, HistoryView)],
    scope: ScopeDep,
    province_code: UnitCode = None,
    on: OnDay = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """Per home agency: officials sent, active, ended, recalled (and pending, rejected…), now
    or `on` a business day."""
    after = cursor_value(cursor, "agency", str, "")
    if on is None:
        page = AgenciesView(store).report(scope, province_code, after, limit)
    else:
        page = HistoryView(store).agencies(scope, province_code, on, after, limit)
    items = [{k: v for k, v in r.items() if k != "agency_key"} for r in page.items]
    return page_response(request, items, page)


@router.get("/compliance")
def compliance(
    request: Request,
    store: Annotated[ReadStore, reading(ComplianceView)],
    scope: ScopeDep,
    province_code: UnitCode = None,
    ward_code: UnitCode = None,
    overdue_only: bool = False,
    consultation_missing_only: bool = False,
    on: On = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """Per active secondment: reporting periods due, submitted, overdue (grace in working days),
    each missing period's due date, and whether a public employee was approved without a
    recorded consultation (`consultation_missing`)."""
    settings = request.app.state.settings
    f = ComplianceFilter(province_code, ward_code, overdue_only, consultation_missing_only)
    after = (cursor_value(cursor, "open", int, 0), cursor_value(cursor, "seq", int, 0))
    page = ComplianceView(store).report(
        f, scope, today(on), settings.cadence, after if cursor else None, limit
    )
    items: list[dict[str, Any]] = [
        {
            **r,
            "missing": [f"{a}/{b}" for a, b in r["missing"]],
            "flagged_overdue": [f"{a}/{b}" for a, b in r["flagged_overdue"]],
            "due_dates": r["due_dates"] if not spreadsheet_or_csv(request) else _dates(r),
        }
        for r in page.items
    ]
    every = settings.report_cadence_days
    return page_response(request, items, page, cadence_days=every, on=today(on).isoformat())


@router.get("/deadlines")
def deadlines(
    request: Request,
    store: Annotated[ReadStore, reading(DeadlinesView)],
    scope: ScopeDep,
    within_days: Annotated[int, Query(ge=0, le=3660)] = 30,
    without_handover: bool = False,
    on: On = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """Active secondments ending within `within_days` (or already past their end), soonest
    first, with whether handover has started."""
    end = cursor_value(cursor, "end", str, "")
    after = (end, cursor_value(cursor, "seq", int, 0)) if end else None
    until = today(on) + timedelta(days=within_days)
    page = DeadlinesView(store).ending(scope, until, without_handover, after, limit)
    return page_response(request, page.items, page, until=until.isoformat())


@router.get("/difficulties")
def difficulties(
    request: Request,
    store: Annotated[ReadStore, reading(DifficultiesView)],
    scope: ScopeDep,
    status: DifficultyStatus | None = None,
    field: Field | None = None,
    province_code: UnitCode = None,
    ward_code: UnitCode = None,
    escalated_to: EscalationLevel | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """Difficulties by status (open, escalated, resolved), field, commune and level."""
    f = DifficultyFilter(
        status.value if status else None,
        field.value if field else None,
        province_code,
        ward_code,
        escalated_to.value if escalated_to else None,
    )
    after = cursor_value(cursor, "seq", int, 0)
    summary, page = DifficultiesView(store).report(f, scope, after, limit)
    return page_response(request, page.items, page, **summary)


def spreadsheet_or_csv(request: Request) -> bool:
    return wants_csv(request) or spreadsheet.wants_xlsx(request)


def _dates(row: dict[str, Any]) -> list[str]:
    return [f"{d['period']}: {d['due_on']}" for d in row["due_dates"]]


@router.get("/returns")
def returns(
    request: Request,
    store: Annotated[ReadStore, reading(ReturnsView)],
    scope: ScopeDep,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """Ended secondments whose official has no return recorded, oldest end first (the right of
    return); `return_due_on` once the deadline worker flagged it missing."""
    end = cursor_value(cursor, "end", str, "")
    after = (end, cursor_value(cursor, "seq", int, 0)) if end else None
    page = ReturnsView(store).missing(scope, after, limit)
    return page_response(request, page.items, page)


@router.get("/allowances")
def allowances(
    request: Request,
    store: Annotated[ReadStore, reading(AllowancesView)],
    scope: ScopeDep,
    month: Annotated[
        str, Query(pattern=r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$", description="YYYY-MM")
    ],
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """Per secondment at its host in the month: days there (arrival to the end of the term as
    extended, or to the day it ended or was recalled), the host's hardship areas, and the
    amounts from the configured rates (null, with `rate_configured` false, where none is)."""
    rates = request.app.state.allowance_rates
    year, number = (int(x) for x in month.split("-"))
    after = cursor_value(cursor, "seq", int, 0)
    page = AllowancesView(store).month(Month(year, number), scope, rates, after, limit)
    return page_response(request, page.items, page, month=month, rates_configured=bool(rates))
