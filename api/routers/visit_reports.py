"""Reports on the study visits (`/v1/reports/study-visits…`): JSON, CSV or .xlsx by `Accept`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from starlette.responses import Response

from api import visits as v
from api.deps import PrincipalDep
from api.errors import invalid
from api.pagination import UnitCode
from api.routers.readside import page_response, reading
from api.schemas.problems import READ, problems
from projections.base import Page
from projections.store import ReadStore
from projections.visits import StudyVisitsView

router = APIRouter(prefix="/v1/reports/study-visits", tags=["reports"], responses=problems(READ))
Store = Annotated[ReadStore, reading(StudyVisitsView)]
WHOLE = Page([], None)


@router.get("")
def by_commune_and_unit(
    request: Request, principal: PrincipalDep, store: Store, province_code: UnitCode = None
) -> Response:
    """Per commune and receiving unit: visits (not cancelled), attended, participants."""
    rows = StudyVisitsView(store).by_commune_and_unit(v.scope(principal), province_code)
    return page_response(request, rows, WHOLE)


@router.get("/months")
def participants_by_month(
    request: Request, principal: PrincipalDep, store: Store, province_code: UnitCode = None
) -> Response:
    """Per month of attendance: visits attended and officials present."""
    rows = StudyVisitsView(store).participants_by_month(v.scope(principal), province_code)
    return page_response(request, rows, WHOLE)


@router.get("/silent-communes")
def silent_communes(
    request: Request, principal: PrincipalDep, store: Store, province_code: UnitCode = None
) -> Response:
    """The communes and wards of a province that have sent nobody to learn yet."""
    scope = v.scope(principal)
    province = scope.province_code or province_code
    if province is None:
        raise invalid("province_code", "name the province", "province_required")
    rows = StudyVisitsView(store).silent_communes(scope, province)
    return page_response(request, rows, WHOLE, province_code=province)
