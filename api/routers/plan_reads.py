"""Reading plans: the list, one plan with plan against actual, its coverage report (JSON, CSV
or .xlsx), and a commune's uncovered fields with the open plans that target it."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from api.access import _same
from api.auth import Principal
from api.deps import PrincipalDep
from api.pagination import Cursor, Limit, UnitCode
from api.plan_access import plan_not_found, plan_scope
from api.routers.readside import ScopeDep, cursor_value, page_response, reading
from api.schemas.problems import READ, problems
from domain.plan_lifecycle import PLAN
from domain.values import Role
from projections.base import Page
from projections.communes import CommunesView, present
from projections.plans import PlanScope, PlansView
from projections.store import ReadStore

router = APIRouter(tags=["plans"], responses=problems(READ))
NAMING = frozenset({Role.HOME_AFFAIRS, Role.MINISTRY, Role.AUDITOR})
PlanStore = Annotated[ReadStore, reading(PlansView)]


async def reader(principal: PrincipalDep) -> PlanScope:
    return plan_scope(principal)


PlanScopeDep = Annotated[PlanScope, Depends(reader)]


def _plan(store: ReadStore, plan_id: UUID, scope: PlanScope, principal: Principal) -> Any:
    found = PlansView(store).plan(str(plan_id), scope)
    if found is None:
        raise plan_not_found()
    for n in found["nominations"]:
        if not _names(principal, n["home_agency"]):
            n["full_name"] = None
    found["allowed_actions"] = PLAN.allowed_for(principal.role, found["state"])
    found["state_label"] = PLAN.state_labels[found["state"]]
    return found


def _names(principal: Principal, home_agency: str) -> bool:
    """Whether the caller reads a nominee's name: deciding and auditing roles, and an agency
    for its own officials."""
    if principal.role is Role.AGENCY:
        return _same(principal.home_agency or "", home_agency)
    return principal.role in NAMING


@router.get("/v1/plans")
def list_plans(
    request: Request,
    store: PlanStore,
    scope: PlanScopeDep,
    state: Annotated[str | None, Query(pattern="^(" + "|".join(PLAN.states) + ")$")] = None,
    province_code: UnitCode = None,
    ward_code: UnitCode = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """Các kế hoạch trong phạm vi của bạn, lọc theo tỉnh, xã, trạng thái."""
    narrowed = PlanScope(province_code, None)
    after = cursor_value(cursor, "seq", int, 0)
    page = PlansView(store).search(scope, state, ward_code, after, limit, narrowed)
    items = [
        {k: v for k, v in r.items() if k not in ("seq", "wards")} | {"id": r["plan_id"]}
        for r in page.items
    ]
    return page_response(request, items, page, csv_allowed=False)


@router.get("/v1/plans/{plan_id}")
def plan(plan_id: UUID, store: PlanStore, scope: PlanScopeDep, principal: PrincipalDep) -> Any:
    """Một kế hoạch: targets, nominees, seats given, coverage per commune and field, and once
    decided, plan against actual (approved, deployed, reporting, handover, ended)."""
    return _plan(store, plan_id, scope, principal)


@router.get("/v1/reports/plans/{plan_id}/coverage")
def coverage(
    request: Request, plan_id: UUID, store: PlanStore, scope: PlanScopeDep, principal: PrincipalDep
) -> Response:
    """Độ bao phủ của kế hoạch: per commune and field, seats wanted and covered, and the
    commune's secondments by state (JSON, `text/csv` or .xlsx by Accept)."""
    found = _plan(store, plan_id, scope, principal)
    actual = {(a["province_code"], a["ward_code"]): a for a in found["actual"]}
    items = [
        {
            **c,
            **{
                k: v
                for k, v in actual[c["province_code"], c["ward_code"]].items()
                if k not in ("province_code", "ward_code", "seats")
            },
        }
        for c in found["coverage"]
    ]
    return page_response(request, items, Page(items, None), plan_id=str(plan_id))


@router.get("/v1/communes/{ward_code}/plans")
def commune_plans(
    ward_code: Annotated[int, Path(ge=1, le=99999)],
    store: Annotated[ReadStore, reading(PlansView, CommunesView)],
    scope: ScopeDep,
    principal: PrincipalDep,
) -> dict[str, Any]:
    """Các lĩnh vực xã còn thiếu, và các kế hoạch đang mở có chỉ tiêu cho xã này."""
    mine = plan_scope(principal)
    summary, _ = CommunesView(store).commune(ward_code, scope)
    if mine.ward_code not in (None, ward_code):
        raise plan_not_found()
    uncovered = present(summary)["uncovered"] if summary else []
    plans = PlansView(store).open_for(ward_code, mine)
    return {"ward_code": ward_code, "uncovered": uncovered, "open_plans": plans}
