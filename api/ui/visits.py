"""Học tập tại Sở (/ui/study-visits): the list, the proposal form, a visit's page with the
department's actions (a full week shows the free weeks proposed), and the report page.

Forms go through the API's own route functions with a `CommandContext`, so the role table,
scope and Idempotency-Key (one per rendered form) are the API's."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api import visits as v
from api.auth import Principal
from api.reads import events_of
from api.routers import study_visits as route
from api.schemas import visits as schema
from api.ui import labels, session
from api.ui.messages import FieldError, from_domain, from_validation
from api.ui.render import render
from api.ui.requests import context_for, wards_for
from api.ui.session import UiRoute
from domain.errors import DomainError
from domain.visit_lifecycle import STUDY_VISIT
from domain.visits import WeekFull
from projections.catalog import ReadModels, head
from projections.visits import StudyVisitsView

router = APIRouter(route_class=UiRoute)
Who = Annotated[Principal, Depends(session.principal)]
ACTIONS: dict[str, tuple[type[BaseModel], Any]] = {
    "schedule": (schema.ScheduleIn, route.schedule),
    "reschedule": (schema.ScheduleIn, route.reschedule),
    "attend": (schema.AttendIn, route.attend),
    "complete": (schema.CompleteIn, route.complete),
    "cancel": (schema.CancelIn, route.cancel),
}
DATES = ("start", "end", "attended_on")


@router.get("/study-visits")
def visit_list(request: Request, principal: Who, state: str = "", week: str = "") -> Response:
    store = request.app.state.read_store
    page = StudyVisitsView(store).search(
        v.scope(principal), 0, 500, state=state or None, week=week or None
    )
    context: dict[str, Any] = {"title": "Học tập tại Sở Nội vụ", "rows": page.items}
    context |= {"state": state, "week": week}
    context["labels_of"] = STUDY_VISIT.state_labels
    context["may_propose"] = STUDY_VISIT.permits(principal.role, "propose")
    return render(request, "visits.html", context, 200, principal)


def _new_page(
    request: Request, principal: Principal, values: dict[str, Any], errors: list[FieldError]
) -> Response:
    context = {"title": "Đề xuất đi học tập", "values": values, "errors": errors}
    context |= {"wards": wards_for(principal), "key": uuid.uuid4().hex}
    return render(request, "visit_new.html", context, 422 if errors else 200, principal)


@router.get("/study-visits/new")
def new_visit(request: Request, principal: Who) -> Response:
    return _new_page(request, principal, {"host_unit": "Sở Nội vụ"}, [])


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _proposal(values: dict[str, str]) -> dict[str, Any]:
    people = [line.partition(";") for line in _lines(values.get("participants", ""))]
    return {
        "ward_code": int(values["ward_code"]) if values.get("ward_code", "").isdigit() else None,
        "participants": [{"full_name": n.strip(), "position": p.strip()} for n, _, p in people],
        "topics": _lines(values.get("topics", "")),
        "host_unit": values.get("host_unit", ""),
        "preferred_weeks": [
            w.strip() for w in values.get("preferred_weeks", "").split(",") if w.strip()
        ],
    }


@router.post("/study-visits/new")
async def propose(request: Request, principal: Who) -> Response:
    form = await request.form()
    session.check_csrf(request, form)
    values = {k: str(form.get(k, "")) for k in form}
    return await run_in_threadpool(_propose, request, principal, values)


def _propose(request: Request, principal: Principal, values: dict[str, str]) -> Response:
    payload = _proposal(values)
    try:
        body = schema.StudyVisitCreate.model_validate(payload)
    except ValidationError as e:
        return _new_page(request, principal, values, from_validation(e))
    command = context_for(
        request, principal, values.get("idempotency_key", ""), json.dumps(payload).encode()
    )
    try:
        response = route.propose(body, command, v.service(request))
    except DomainError as e:
        return _new_page(request, principal, values, from_domain(e, set(payload)))
    return _after(request, str(response.headers["Location"]).rsplit("/", 1)[-1], "proposed")


def _after(request: Request, visit_id: str, done: str) -> Response:
    ReadModels(request.app.state.read_store).wait(head(request.app.state.registry), timeout=5)
    return RedirectResponse(f"/ui/study-visits/{visit_id}?done={done}", 303)


def _visit_page(
    request: Request,
    principal: Principal,
    visit_id: UUID,
    failed: dict[str, Any] | None = None,
) -> Response:
    visit = v.visible(v.service(request), principal, visit_id)
    view = v.view(visit, principal).model_dump(mode="json")
    trail = events_of(request.app.state.registry, visit_id, None, 200).model_dump(mode="json")
    context = {
        "title": f"Đoàn học tập — {view['ward_name']}",
        "visit": view,
        "trail": trail["items"],
    }
    context |= {
        "failed": failed or {},
        "key": uuid.uuid4().hex,
        "labels_of": STUDY_VISIT.state_labels,
    }
    context["action_label"] = STUDY_VISIT.action_label
    context["done"] = request.query_params.get("done", "")
    return render(request, "visit.html", context, 422 if failed else 200, principal)


@router.get("/study-visits/{visit_id}")
def visit_page(request: Request, principal: Who, visit_id: UUID) -> Response:
    return _visit_page(request, principal, visit_id)


@router.post("/study-visits/{visit_id}/{action}")
async def visit_action(request: Request, principal: Who, visit_id: UUID, action: str) -> Response:
    form = await request.form()
    session.check_csrf(request, form)
    values = {k: str(form.get(k, "")) for k in form}
    return await run_in_threadpool(_act, request, principal, visit_id, action, values)


def _act(
    request: Request, principal: Principal, visit_id: UUID, action: str, values: dict[str, str]
) -> Response:
    if action not in ACTIONS:
        return RedirectResponse(f"/ui/study-visits/{visit_id}", 303)
    model, handler = ACTIONS[action]
    data: dict[str, Any] = {k: values[k] for k in model.model_fields if values.get(k)}
    for name in DATES:
        if name in data:
            day = labels.parse_vn_date(data[name])
            data[name] = day.isoformat() if day else data[name]
    if "present" in data:
        data["present"] = int(data["present"]) if data["present"].isdigit() else data["present"]
    failed: dict[str, Any] = {"action": action, "values": values}
    try:
        body = model.model_validate(data)
    except ValidationError as e:
        return _visit_page(request, principal, visit_id, {**failed, "errors": from_validation(e)})
    payload = json.dumps([action, str(visit_id), body.model_dump(mode="json")]).encode()
    command = context_for(request, principal, values.get("idempotency_key", ""), payload)
    try:
        handler(visit_id, body, command, v.service(request))
    except WeekFull as e:
        failed |= {"errors": from_domain(e, set(data)), "free_weeks": e.free_weeks}
        return _visit_page(request, principal, visit_id, failed)
    except DomainError as e:
        return _visit_page(
            request, principal, visit_id, {**failed, "errors": from_domain(e, set(data))}
        )
    return _after(request, str(visit_id), action)
