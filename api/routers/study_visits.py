"""Study visits (`/v1/study-visits`): a commune proposes, the department schedules within a
unit's weekly capacity, reschedules, records the attendance and completes with feedback."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api import visits as v
from api.commands import etag, json_response
from api.deps import CommandDep, PrincipalDep, RegistryDep
from api.pagination import Cursor, Limit, UnitCode
from api.reads import events_of
from api.routers.readside import cursor_value, page_response, reading
from api.schemas.problems import COMMAND, CREATE, READ, problems
from api.schemas.views import EventPage
from api.schemas.visits import (
    AttendIn,
    CancelIn,
    CompleteIn,
    IsoWeek,
    ScheduleIn,
    StudyVisitCreate,
    StudyVisitView,
)
from domain.visit_lifecycle import PROPOSE, STUDY_VISIT
from domain.visits import Proposal, Slot, StudyVisits
from projections.store import ReadStore
from projections.visits import StudyVisitsView, VisitFilter

router = APIRouter(prefix="/v1/study-visits", tags=["study visits"])
Visits = Annotated[StudyVisits, Depends(v.service)]


@router.post("", status_code=201, response_model=StudyVisitView, responses=problems(CREATE))
def propose(body: StudyVisitCreate, command: CommandDep, visits: Visits) -> Response:
    """Đề xuất đi học tập: a commune's officials ask to come and learn at the department."""
    host = v.proposing_ward(command.principal, body.ward_code)
    proposal = Proposal(
        host.province_code,
        host.ward_code or 0,
        tuple(p.to_domain() for p in body.participants),
        tuple(body.topics),
        body.host_unit,
        tuple(body.preferred_weeks),
        body.proposed_on,
    )
    return command.create_declared(
        STUDY_VISIT,
        PROPOSE,
        lambda meta: visits.propose(meta, proposal),
        v.recorded(command.principal),
        lambda done: f"/v1/study-visits/{done.record.id}",
    )


def _on(
    visit_id: UUID, action: str, command: CommandDep, visits: StudyVisits, act: object
) -> Response:
    return command.on_declared(
        STUDY_VISIT,
        action,
        lambda: v.visible(visits, command.principal, visit_id),
        act,  # type: ignore[arg-type]
        v.recorded(command.principal),
    )


@router.post("/{visit_id}/schedule", response_model=StudyVisitView, responses=problems(COMMAND))
def schedule(visit_id: UUID, body: ScheduleIn, command: CommandDep, visits: Visits) -> Response:
    """Xếp lịch: the unit receives the visit in the week of `start`; when that week is full,
    422 `unit_week_full` with `free_weeks`, the next weeks with room."""
    slot = Slot(body.start, body.end, body.unit, body.effective_on)
    return _on(
        visit_id, "schedule", command, visits, lambda m, x: visits.schedule(visit_id, m, slot, x)
    )


@router.post("/{visit_id}/reschedule", response_model=StudyVisitView, responses=problems(COMMAND))
def reschedule(visit_id: UUID, body: ScheduleIn, command: CommandDep, visits: Visits) -> Response:
    """Đổi lịch: moves a scheduled visit (its place in the old week is freed)."""
    slot = Slot(body.start, body.end, body.unit, body.effective_on)
    return _on(
        visit_id,
        "reschedule",
        command,
        visits,
        lambda m, x: visits.reschedule(visit_id, m, slot, x),
    )


@router.post("/{visit_id}/attend", response_model=StudyVisitView, responses=problems(COMMAND))
def attend(visit_id: UUID, body: AttendIn, command: CommandDep, visits: Visits) -> Response:
    """The officials came (`present`: how many; default every participant)."""
    return _on(
        visit_id,
        "attend",
        command,
        visits,
        lambda m, x: visits.attend(visit_id, m, body.attended_on, body.present, x),
    )


@router.post("/{visit_id}/complete", response_model=StudyVisitView, responses=problems(COMMAND))
def complete(visit_id: UUID, body: CompleteIn, command: CommandDep, visits: Visits) -> Response:
    """Hoàn thành, with the feedback of the visit."""
    return _on(
        visit_id,
        "complete",
        command,
        visits,
        lambda m, x: visits.complete(visit_id, m, body.feedback, body.completed_on, x),
    )


@router.post("/{visit_id}/cancel", response_model=StudyVisitView, responses=problems(COMMAND))
def cancel(visit_id: UUID, body: CancelIn, command: CommandDep, visits: Visits) -> Response:
    """Hủy: a proposed or scheduled visit will not take place (its place is freed)."""
    return _on(
        visit_id,
        "cancel",
        command,
        visits,
        lambda m, x: visits.cancel(visit_id, m, body.reason, body.effective_on, x),
    )


@router.get("", responses=problems(READ))
def list_visits(
    request: Request,
    principal: PrincipalDep,
    store: Annotated[ReadStore, reading(StudyVisitsView)],
    state: str | None = None,
    ward_code: UnitCode = None,
    unit: str | None = None,
    week: IsoWeek | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """The visits in the caller's scope, oldest first; CSV or .xlsx by `Accept`."""
    f = VisitFilter(state, ward_code, unit, week)
    page = StudyVisitsView(store).search(
        f, v.scope(principal), cursor_value(cursor, "seq", int, 0), limit
    )
    return page_response(request, page.items, page)


@router.get("/{visit_id}", response_model=StudyVisitView, responses=problems(READ))
def read_visit(visit_id: UUID, principal: PrincipalDep, visits: Visits) -> Response:
    """One study visit now, with the actions the caller may take."""
    visit = v.visible(visits, principal, visit_id)
    return json_response(v.view(visit, principal), 200, etag(visit.version))


@router.get("/{visit_id}/events", response_model=EventPage, responses=problems(READ))
def visit_events(
    visit_id: UUID,
    principal: PrincipalDep,
    registry: RegistryDep,
    visits: Visits,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """The visit's audit trail, oldest first: who did what, when, from which state to which."""
    v.visible(visits, principal, visit_id)
    return json_response(events_of(registry, visit_id, cursor, limit))
