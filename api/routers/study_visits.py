"""Study visits (`/v1/study-visits`): a commune proposes, the department schedules within a
unit's weekly capacity, reschedules, records the attendance and completes with feedback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api import visits as v
from api.commands import CommandContext, etag, json_response
from api.deps import CommandDep, PrincipalDep
from api.pagination import Cursor, Limit, UnitCode
from api.reads import events_of
from api.routers.readside import cursor_value, page_response, reading
from api.schemas.commands import ErasureRequest
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
from domain.commanding import Done
from domain.visit import StudyVisit
from domain.visit_lifecycle import ERASE, PROPOSE, STUDY_VISIT
from domain.visits import Given, Proposal, Slot, StudyVisits
from projections.store import ReadStore
from projections.visits import StudyVisitsView

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


Act = Callable[[Given], Done[StudyVisit]]


def _on(
    visit_id: UUID, action: str, command: CommandContext, visits: StudyVisits, act: Act
) -> Response:
    return command.on_declared(
        STUDY_VISIT,
        action,
        lambda: v.visible(visits, command.principal, visit_id),
        lambda meta, expected: act(Given(visit_id, meta, expected)),
        v.recorded(command.principal),
    )


@router.post("/{visit_id}/schedule", response_model=StudyVisitView, responses=problems(COMMAND))
def schedule(visit_id: UUID, body: ScheduleIn, command: CommandDep, visits: Visits) -> Response:
    """Xếp lịch: the unit receives the visit in the week of `start`; when that week is full,
    422 `unit_week_full` with `free_weeks`, the next weeks with room."""
    slot = Slot(body.start, body.end, body.unit, body.effective_on)
    return _on(visit_id, "schedule", command, visits, lambda to: visits.schedule(to, slot))


@router.post("/{visit_id}/reschedule", response_model=StudyVisitView, responses=problems(COMMAND))
def reschedule(visit_id: UUID, body: ScheduleIn, command: CommandDep, visits: Visits) -> Response:
    """Đổi lịch: moves a scheduled visit (its place in the old week is freed)."""
    slot = Slot(body.start, body.end, body.unit, body.effective_on)
    return _on(visit_id, "reschedule", command, visits, lambda to: visits.reschedule(to, slot))


@router.post("/{visit_id}/attend", response_model=StudyVisitView, responses=problems(COMMAND))
def attend(visit_id: UUID, body: AttendIn, command: CommandDep, visits: Visits) -> Response:
    """The officials came (`present`: how many; default every participant)."""
    came = body.attended_on, body.present
    return _on(visit_id, "attend", command, visits, lambda to: visits.attend(to, *came))


@router.post("/{visit_id}/complete", response_model=StudyVisitView, responses=problems(COMMAND))
def complete(visit_id: UUID, body: CompleteIn, command: CommandDep, visits: Visits) -> Response:
    """Hoàn thành, with the feedback of the visit."""
    said = body.feedback, body.completed_on
    return _on(visit_id, "complete", command, visits, lambda to: visits.complete(to, *said))


@router.post("/{visit_id}/cancel", response_model=StudyVisitView, responses=problems(COMMAND))
def cancel(visit_id: UUID, body: CancelIn, command: CommandDep, visits: Visits) -> Response:
    """Hủy: a proposed or scheduled visit will not take place (its place is freed)."""
    why = body.reason, body.effective_on
    return _on(visit_id, "cancel", command, visits, lambda to: visits.cancel(to, *why))


@router.post("/{visit_id}/erasure", response_model=StudyVisitView, responses=problems(COMMAND))
def erase_participants(
    visit_id: UUID, body: ErasureRequest, command: CommandDep, visits: Visits
) -> Response:
    """Erases the participants' names and positions (Law 91/2025/QH15): the key they are sealed
    under is destroyed, they read "[đã xóa]", and stored responses that showed them are deleted;
    counts, dates and the trail stay. Once per visit (then 422 `participants_erased`)."""

    def act(to: Given) -> Done[StudyVisit]:
        done = visits.erase_participants(to, body.reason, body.legal_basis)
        command.replays.forget([str(visit_id)])
        return done

    return _on(visit_id, ERASE, command, visits, act)


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
    after = cursor_value(cursor, "seq", int, 0)
    found = StudyVisitsView(store).search(
        v.scope(principal), after, limit, state=state, ward_code=ward_code, unit=unit, week=week
    )
    return page_response(request, found.items, found)


@router.get("/{visit_id}", response_model=StudyVisitView, responses=problems(READ))
def read_visit(visit: v.Seen, principal: PrincipalDep) -> Response:
    """One study visit now, with the actions the caller may take."""
    return json_response(v.view(visit, principal), 200, etag(visit.version))


@router.get("/{visit_id}/events", response_model=EventPage, responses=problems(READ))
def visit_events(
    visit: v.Seen, request: Request, limit: Limit = 50, cursor: Cursor = None
) -> Response:
    """The visit's audit trail, oldest first: who did what, when, from which state to which."""
    return json_response(events_of(request.app.state.registry, visit.id, cursor, limit))
