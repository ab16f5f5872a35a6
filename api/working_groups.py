"""Working groups as the API sees them: who may see which group, and the group as shown."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from api.access import require_declared
from api.auth import Principal
from api.errors import ApiProblem, forbidden
from api.schemas import working_groups as out
from api.schemas.views import ActorOut
from domain.commanding import Done
from domain.errors import NotFound
from domain.units import province_name, ward_name
from domain.values import Role
from domain.working_group import WorkingGroup
from domain.working_group_lifecycle import READ, WORKING_GROUP
from domain.working_groups import WorkingGroups
from projections.base import Scope


def group_scope(principal: Principal) -> Scope:
    """The groups the caller reads (403 for roles that read none): a province's, a commune's
    (the groups covering its ward), or every group."""
    require_declared(principal, WORKING_GROUP, READ)
    p = principal
    if p.role is Role.COMMUNE:
        return Scope(p.province_code, p.ward_code if p.ward_code is not None else -1)
    if p.role is Role.MINISTRY:
        return Scope()
    return Scope(p.province_code)


def may_see(principal: Principal, g: WorkingGroup) -> bool:
    scope = group_scope(principal)
    return scope.province_code in (None, g.province_code) and (
        scope.ward_code is None or scope.ward_code in g.ward_codes
    )


def in_province(principal: Principal, province_code: int) -> None:
    """403 when the caller may not run groups in this province."""
    if principal.role is not Role.MINISTRY and principal.province_code != province_code:
        raise forbidden("this province is outside the token's scope")


def group_not_found() -> ApiProblem:
    return ApiProblem(404, "not-found", "Not Found", "working group not found")


def visible(groups: WorkingGroups, principal: Principal, group_id: UUID) -> WorkingGroup:
    """The group, if the caller may see it; 404 otherwise (its existence is not revealed)."""
    try:
        g = groups.get(group_id)
    except NotFound:
        raise group_not_found() from None
    if not may_see(principal, g):
        raise group_not_found()
    return g


def _ward(code: int) -> out.WardOut:
    return out.WardOut(ward_code=code, ward_name=ward_name(code))


def _visit(v: Any) -> out.VisitOut:
    data = asdict(v)
    data["recorded_by"] = ActorOut(sub=v.recorded_by.sub, role=v.recorded_by.role.value)
    return out.VisitOut.model_validate({**data, "ward_name": ward_name(v.ward_code)})


def view(g: WorkingGroup, principal: Principal) -> dict[str, Any]:
    return {
        "id": g.id,
        "name": g.name,
        "province_code": g.province_code,
        "province_name": province_name(g.province_code),
        "state": g.state,
        "version": g.version,
        "formed_on": g.formed_on,
        "closed_on": g.closed_on,
        "leader": asdict(g.leader),
        "members": [asdict(m) for m in g.members],
        "wards": [_ward(w) for w in g.ward_codes],
        "visited": [_ward(w) for w in g.visited],
        "not_visited": [_ward(w) for w in g.not_visited],
        "visits": [_visit(v) for v in g.visits],
        "allowed_actions": WORKING_GROUP.allowed_for(principal.role, g.state),
    }


def shown(g: WorkingGroup, principal: Principal) -> out.WorkingGroupView:
    return out.WorkingGroupView.model_validate(view(g, principal))


def recorded(done: Done[WorkingGroup], principal: Principal) -> out.WorkingGroupRecorded:
    return out.WorkingGroupRecorded.model_validate(
        {**view(done.record, principal), "position": done.position}
    )
