"""The plan page's forms (open nominations, nominate, match, adjust the seats, decide, cancel):
each builds the API's request body from the form and calls the API's plan route with a
`CommandContext`, then waits for the read models and returns to the plan's page."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api.auth import Principal
from api.commands import CommandContext
from api.errors import ApiProblem
from api.routers import plans as plan_route
from api.routers.readside import get_read_store
from api.schemas import plans as schemas
from api.ui import labels, plan_page, session
from api.ui.messages import FieldError, from_domain, from_validation
from api.ui.requests import context_for, official_of, short, years_before
from api.ui.session import UiRoute
from domain.errors import DomainError
from domain.plans import Plans
from projections.catalog import ReadModels, head

router = APIRouter(route_class=UiRoute)
Who = Annotated[Principal, Depends(session.principal)]
Call = Callable[[Any, CommandContext, Plans], Response]
SEAT = re.compile(r"seat_(\d+)_(\d+)$")


def iso(text: object) -> str:
    """A dd/mm/yyyy input as the API's date (the text itself when it is not a date)."""
    day = labels.parse_vn_date(str(text or ""))
    return day.isoformat() if day else str(text or "").strip()


def run(
    request: Request,
    principal: Principal,
    values: Mapping[str, Any],
    model: type[BaseModel],
    body: dict[str, Any],
    call: Call,
) -> dict[str, Any] | list[FieldError]:
    """The API route's answer once the read models have it, or the problems in the form's terms."""
    try:
        given = model.model_validate(body)
    except ValidationError as e:
        return from_validation(e)
    payload = json.dumps(given.model_dump(mode="json"), sort_keys=True).encode()
    command = context_for(request, principal, str(values.get("idempotency_key", "")), payload)
    try:
        response = call(given, command, Plans(command.registry))
    except ApiProblem as e:
        if e.status != 422:
            raise
        return [FieldError(x.field, x.rule) for x in e.extra.get("errors", [])]
    except DomainError as e:
        return from_domain(e, {str(v) for v in values})
    ReadModels(get_read_store(request)).wait(head(command.registry), timeout=5)
    answer: dict[str, Any] = json.loads(bytes(response.body))
    return answer


async def form_values(request: Request, lists: Sequence[str]) -> dict[str, Any]:
    """A posted form's inputs once its token is checked; the named ones as lists."""
    form = await request.form()
    session.check_csrf(request, form)
    values: dict[str, Any] = {k: str(v) for k, v in form.items() if k != "csrf"}
    return values | {name: [str(x) for x in form.getlist(name)] for name in lists}


def _nomination(values: Mapping[str, Any], request: Request) -> dict[str, Any]:
    years = years_before(request.app.state.registry.today())
    return {
        "official": official_of(values, years),
        "home_agency": str(values.get("home_agency", "")).strip(),
        "fields": list(values.get("fields", [])),
    }


def _assignments(values: Mapping[str, Any], request: Request) -> dict[str, Any]:
    chosen = []
    for name, value in values.items():
        found = SEAT.match(name)
        if found and value:
            target, number = int(found.group(1)), int(found.group(2))
            chosen.append({"nomination_id": value, "target": target, "number": number})
    return {"assignments": chosen}


def _decision(values: Mapping[str, Any], request: Request) -> dict[str, Any]:
    overrides = {
        k.removeprefix("override_"): str(v).strip()
        for k, v in values.items()
        if k.startswith("override_") and str(v).strip()
    }
    return {
        "decision": {
            "number": str(values.get("decision_number", "")).strip(),
            "date": iso(values.get("decision_date")),
            "issuer": str(values.get("decision_issuer", "")).strip(),
        },
        "start": iso(values.get("start")),
        "end": iso(values.get("end")),
        "batch": str(values.get("batch", "")).strip() or None,
        "overrides": overrides,
    }


def _nothing(values: Mapping[str, Any], request: Request) -> dict[str, Any]:
    return {}


def _reason(values: Mapping[str, Any], request: Request) -> dict[str, Any]:
    return {"reason": str(values.get("reason", "")).strip()}


FORMS: dict[str, tuple[type[BaseModel], Callable[..., dict[str, Any]], Callable[..., Response]]]
FORMS = {
    "open": (schemas.StepBody, _nothing, plan_route.open_nominations),
    "nominate": (schemas.NominationCreate, _nomination, plan_route.nominate),
    "match": (schemas.StepBody, _nothing, plan_route.match),
    "assign": (schemas.AssignmentsBody, _assignments, plan_route.assign),
    "decide": (schemas.PlanDecisionBody, _decision, plan_route.decide),
    "cancel": (schemas.CancelBody, _reason, plan_route.cancel),
}
"""Each form: the API's request model, the body from the form's inputs, the API's route."""


@router.post("/plans/{plan_id}/{action}")
async def plan_action(request: Request, principal: Who, plan_id: UUID, action: str) -> Response:
    values = await form_values(request, ["fields"])
    return await run_in_threadpool(_act, request, principal, plan_id, action, values)


def _act(
    request: Request, principal: Principal, plan_id: UUID, action: str, values: dict[str, Any]
) -> Response:
    if action not in FORMS:
        raise ApiProblem(404, "not-found", "Not Found", "no such form")
    model, build, route = FORMS[action]
    outcome = run(
        request,
        principal,
        values,
        model,
        build(values, request),
        lambda body, command, plans: route(plan_id, body, command, plans),
    )
    if isinstance(outcome, list):
        errors = short(outcome) if action == "nominate" else outcome
        if action == "decide":
            errors = [FieldError(e.field.replace(".", "_"), e.rule) for e in errors]
        form = plan_page.Form({**values, "form": action}, errors)
        return plan_page.show(request, principal, plan_id, form)
    return RedirectResponse(f"/ui/plans/{plan_id}?done={action}#{action}", 303)
