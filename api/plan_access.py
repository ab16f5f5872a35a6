"""Who may see and change which plans: the plan's province decides for home affairs, agencies
and auditors, a target at its ward for a commune; the Ministry sees and changes every plan."""

from __future__ import annotations

from collections.abc import Sequence

from api.access import require_declared
from api.auth import Principal
from api.errors import ApiProblem, forbidden
from domain.nomination import Nomination
from domain.plan import Plan
from domain.plan_lifecycle import PLAN, READ
from domain.plans import Plans
from domain.values import Role
from projections.plans import PlanScope


def plan_not_found() -> ApiProblem:
    return ApiProblem(404, "not-found", "Not Found", "plan not found")


def plan_scope(principal: Principal) -> PlanScope:
    """The plans a caller may read; 403 for roles that read none."""
    require_declared(principal, PLAN, READ)
    if principal.role is Role.COMMUNE:
        return PlanScope(ward_code=principal.ward_code or -1)
    if principal.role is Role.MINISTRY:
        return PlanScope()
    return PlanScope(province_code=principal.province_code)


def sees(principal: Principal, plan: Plan) -> bool:
    scope = plan_scope(principal)
    provinces = {plan.province_code, *(t.province_code for t in plan.targets)}
    wards = {t.ward_code for t in plan.targets}
    return scope.province_code in (None, *provinces) and scope.ward_code in (None, *wards)


def owns(principal: Principal, province_code: int | None, provinces: set[int]) -> bool:
    """Whether the caller may draft or change a plan of this province with these targets."""
    if principal.role is Role.MINISTRY:
        return True
    mine = principal.province_code
    return province_code == mine and provinces <= {mine}


def require_owner(principal: Principal, plan: Plan) -> None:
    """403 unless the caller may change the plan (nominating agencies are checked apart)."""
    provinces = {t.province_code for t in plan.targets}
    if principal.role is not Role.AGENCY and not owns(principal, plan.province_code, provinces):
        raise forbidden("this plan belongs to another province")


def may_erase_nominee(principal: Principal, plans: Plans, nominated: Sequence[Nomination]) -> bool:
    """Whether the caller may erase a person known only by nominations: the Ministry, or home
    affairs of the province of every plan they were nominated for."""
    if principal.role is Role.MINISTRY:
        return bool(nominated)
    provinces = {plans.get(n.plan_id).province_code for n in nominated}
    return principal.role is Role.HOME_AFFAIRS and provinces == {principal.province_code}
