"""Plans on the dashboard: the list (/ui/plans), a new plan with its targets (/ui/plans/new) and
one plan's page (targets, nominees with their eligibility, the matching as a table and a chart
of coverage, the seats to adjust by hand, the decision, and plan against actual).

Every change goes through the API's own plan routes (`api.ui.plan_actions.run`), so the same
request models, roles, scope and rules apply, and refusals name the same rules."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api.auth import Principal
from api.plan_access import plan_scope
from api.routers import plans as plan_route
from api.routers.readside import get_read_store
from api.schemas.plans import PlanCreate
from api.ui import plan_actions, plan_page, session
from api.ui.messages import FieldError
from api.ui.render import render
from api.ui.requests import wards_for
from api.ui.session import UiRoute
from domain.plan_lifecycle import CREATE, PLAN
from domain.units import all_provinces, ward_province
from domain.values import Role
from projections.plans import PlansView

router = APIRouter(route_class=UiRoute)
Who = Annotated[Principal, Depends(session.principal)]
TARGET_ROWS = 8
"""Empty target rows on the new-plan form."""


@router.get("/plans")
def plans_list(request: Request, principal: Who, state: str = "") -> Response:
    """Kế hoạch biệt phái trong phạm vi của bạn."""
    chosen = state if state in PLAN.states else None
    found = PlansView(get_read_store(request)).search(plan_scope(principal), chosen, None, 0, 500)
    context = {
        "title": "Kế hoạch biệt phái",
        "rows": [{**r, "place": plan_page.place(r["province_code"], None)} for r in found.items],
        "states": PLAN.state_labels,
        "state": chosen or "",
        "may_draft": PLAN.permits(principal.role, CREATE),
    }
    return render(request, "plans.html", context, principal=principal)


@router.get("/plans/new")
def new_plan_page(request: Request, principal: Who) -> Response:
    """Lập kế hoạch: title, period and targets (commune, fields, seats)."""
    return _new_page(request, principal, plan_page.Form({"kind": "secondment"}))


@router.post("/plans/new")
async def new_plan(request: Request, principal: Who) -> Response:
    values = await plan_actions.form_values(request, [f"fields_{r}" for r in range(TARGET_ROWS)])
    return await run_in_threadpool(_draft, request, principal, values)


@router.get("/plans/{plan_id}")
def plan_view(request: Request, principal: Who, plan_id: UUID, done: str = "") -> Response:
    """Một kế hoạch: chỉ tiêu, đề cử, kết quả ghép, phân công, quyết định, thực tế."""
    return plan_page.show(request, principal, plan_id, done=done)


def _new_page(request: Request, principal: Principal, form: plan_page.Form) -> Response:
    ministry = principal.role is Role.MINISTRY
    values, errors = form.values, form.errors
    context = {
        "title": "Lập kế hoạch biệt phái",
        "values": values,
        "errors": errors,
        "general": [e.message for e in errors if e.field == ""],
        "rows": range(TARGET_ROWS),
        "wards": wards_for(principal),
        "provinces": all_provinces() if ministry else [],
        "key": values.get("idempotency_key") or uuid.uuid4().hex,
    }
    return render(request, "plan_new.html", context, 422 if errors else 200, principal)


def _target(values: Mapping[str, Any], row: int) -> dict[str, Any] | None:
    """A target row: `w<ward>` or `p<province>` (the Ministry's), its fields and seats."""
    where = str(values.get(f"place_{row}", ""))
    if not where:
        return None
    code = int(where[1:]) if where[1:].isdigit() else 0
    seats = str(values.get(f"seats_{row}", "1")).strip()
    place = {"ward_code": code} if where[0] == "w" else {"province_code": code}
    return {
        **place,
        "fields": list(values.get(f"fields_{row}", [])),
        "seats": int(seats) if seats.isdigit() else 0,
    }


def plan_body(principal: Principal, values: Mapping[str, Any]) -> dict[str, Any]:
    """The API's body of `POST /v1/plans` from the form."""
    targets = [t for t in (_target(values, r) for r in range(TARGET_ROWS)) if t is not None]
    first_ward = next((t["ward_code"] for t in targets if t.get("ward_code")), None)
    province = principal.province_code or (ward_province(first_ward) if first_ward else None)
    return {
        "title": str(values.get("title", "")).strip(),
        "issuer": str(values.get("issuer", "")).strip(),
        "province_code": province,
        "kind": str(values.get("kind", "secondment")),
        "period": {
            "start": plan_actions.iso(values.get("start")),
            "end": plan_actions.iso(values.get("end")),
        },
        "targets": targets,
    }


def _draft(request: Request, principal: Principal, values: dict[str, Any]) -> Response:
    body = plan_body(principal, values)
    outcome = plan_actions.run(
        request,
        principal,
        values,
        PlanCreate,
        body,
        lambda model, command, plans: plan_route.draft(model, command, plans),
    )
    if isinstance(outcome, list):
        return _new_page(request, principal, plan_page.Form(values, [_named(e) for e in outcome]))
    return RedirectResponse(f"/ui/plans/{outcome['id']}?done=draft", 303)


def _named(e: FieldError) -> FieldError:
    """A problem at the new-plan form's input (`period.start` → `start`, `targets…` → targets)."""
    name = e.field.removeprefix("period.")
    return FieldError("targets" if name.startswith("targets") else name.split(".")[0], e.rule)
