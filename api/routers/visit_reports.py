"""Reports on the study visits (`/v1/reports/study-visits…`): JSON, CSV or .xlsx by `Accept`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api import visits as v
from api.deps import PrincipalDep
from api.errors import invalid
from api.pagination import UnitCode
from api.routers.readside import page_response, reading
from api.schemas.problems import READ, problems
from projections.base import Page, Scope
from projections.store import ReadStore
from projections.visits import StudyVisitsView

router = APIRouter(prefix="/v1/reports/study-visits", tags=["reports"], responses=problems(READ))
Store = Annotated[ReadStore, reading(StudyVisitsView)]
WHOLE = Page([], None)


def _asked(principal: PrincipalDep, store: Store, province_code: UnitCode = None) -> Asked:
    return StudyVisitsView(store), v.scope(principal), province_code


Asked = tuple[StudyVisitsView, Scope, int | None]
"""The view, the caller's scope and the province asked for."""
Ask = Annotated[Asked, Depends(_asked)]


@router.get("")
def by_commune_and_unit(request: Request, ask: Ask) -> Response:
    """Per commune and receiving unit: visits (not cancelled), attended, participants."""
    view, scope, province = ask
    return page_response(request, view.by_commune_and_unit(scope, province), WHOLE)


@router.get("/months")
def participants_by_month(request: Request, ask: Ask) -> Response:
    """Per month of attendance: visits attended and officials present."""
    view, scope, province = ask
    return page_response(request, view.participants_by_month(scope, province), WHOLE)


@router.get("/silent-communes")
def silent_communes(request: Request, ask: Ask) -> Response:
    """The communes and wards of a province that have sent nobody to learn yet (the caller's
    own province, or the one named by the ministry)."""
    view, scope, province = ask
    province = scope.province_code or province
    if province is None:
        raise invalid("province_code", "name the province", "province_required")
    rows = view.silent_communes(scope, province)
    return page_response(request, rows, WHOLE, province_code=province)
