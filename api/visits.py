"""Study visits for a caller: who may see which visit, the service with the configured
capacity, and the record as the API shows it."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Request

from api import access
from api.auth import Principal
from api.deps import PrincipalDep
from api.errors import ApiProblem, forbidden, invalid
from api.schemas.visits import ParticipantOut, StudyVisitView
from domain.commanding import Done
from domain.errors import NotFound
from domain.units import ward_name, ward_province
from domain.values import Host, Role
from domain.visit import StudyVisit
from domain.visit_lifecycle import READ, STUDY_VISIT
from domain.visits import StudyVisits
from projections.base import Scope


def service(request: Request) -> StudyVisits:
    app = request.app.state
    return StudyVisits(app.registry, app.settings.visit_capacity)


def scope(principal: Principal) -> Scope:
    """The visits a caller may read: a commune its own, the department its province's."""
    access.require_declared(principal, STUDY_VISIT, READ)
    s = access.scope_filter(principal)
    return Scope(s.province_code, s.ward_code)


def admits(principal: Principal, province_code: int, ward_code: int) -> bool:
    s = scope(principal)
    return s.province_code in (None, province_code) and s.ward_code in (None, ward_code)


def proposing_ward(principal: Principal, ward_code: int | None) -> Host:
    """The commune a proposal is for: a commune's own ward, else the one named in scope."""
    if principal.role is Role.COMMUNE:
        if ward_code not in (None, principal.ward_code):
            raise forbidden("a commune proposes study visits for its own ward only")
        ward_code = principal.ward_code
    if ward_code is None:
        raise invalid("ward_code", "name the commune or ward that sends them", "ward_required")
    province = ward_province(ward_code)
    if province is None:
        raise invalid("ward_code", "unknown commune or ward code", "ward_exists")
    if not admits(principal, province, ward_code):
        raise forbidden("this commune is outside the token's scope")
    return Host(province, ward_code)


def visible(visits: StudyVisits, principal: Principal, visit_id: UUID) -> StudyVisit:
    """The visit if the caller may see it; 404 otherwise (as for a visit that does not exist)."""
    try:
        visit = visits.get(visit_id)
    except NotFound:
        raise not_found() from None
    if not admits(principal, visit.province_code, visit.ward_code):
        raise not_found()
    return visit


def seen(visit_id: UUID, request: Request, principal: PrincipalDep) -> StudyVisit:
    """The dependency of a read of one visit: the visit, if the caller may see it."""
    return visible(service(request), principal, visit_id)


Seen = Annotated[StudyVisit, Depends(seen)]


def not_found() -> ApiProblem:
    return ApiProblem(404, "not-found", "Not Found", "study visit not found")


PLAIN = "id version state province_code ward_code host_unit proposed_on unit start end week"
PLAIN += " reschedules attended_on present feedback reason"
"""Attributes of the visit shown as they are."""


def view(visit: StudyVisit, principal: Principal, position: int | None = None) -> StudyVisitView:
    people = [
        ParticipantOut(full_name=p.full_name, position=p.position) for p in visit.participants
    ]
    return StudyVisitView(
        **{name: getattr(visit, name) for name in PLAIN.split()},
        state_label=STUDY_VISIT.state_labels[visit.state],
        ward_name=ward_name(visit.ward_code),
        participants=people,
        topics=list(visit.topics),
        preferred_weeks=list(visit.preferred_weeks),
        allowed_actions=STUDY_VISIT.allowed_for(principal.role, visit.state),
        position=position,
    )


def recorded(principal: Principal) -> Any:
    """How a command's result is shown to this caller."""

    def present(done: Done[Any]) -> StudyVisitView:
        return view(done.record, principal, done.position)

    return present
