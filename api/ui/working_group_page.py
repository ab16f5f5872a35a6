"""Một tổ công tác (/ui/working-groups/{id}): its people, the communes it covers (visited and
not yet), its visits, and the form that records a visit, whose issues may open a difficulty
on a secondment on post at that commune."""

from __future__ import annotations

import json
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api import presenters
from api.auth import Principal
from api.routers import working_groups as route
from api.routers.readside import get_read_store, scope_of
from api.schemas.working_groups import VisitBody
from api.ui import labels, session
from api.ui.render import render
from api.ui.requests import context_for
from api.ui.session import UiRoute
from api.ui.working_groups import Filled, domain_errors, field_errors, posted
from api.working_groups import shown, visible
from domain.errors import DomainError
from domain.lifecycle import ON_POST
from domain.working_group import WorkingGroup
from domain.working_groups import WorkingGroups
from projections.catalog import ReadModels, head
from projections.secondments import SecondmentFilter, SecondmentsView

router = APIRouter(route_class=UiRoute)
Who = Annotated[Principal, Depends(session.principal)]
ISSUE_ROWS = 3
ISSUE_PARTS = ("title", "detail", "field", "secondment_id")
VISIT_FIELDS = {"ward_code", "visited_on", "findings", "guidance"} | {
    f"issues.{i}.{part}" for i in range(ISSUE_ROWS) for part in ISSUE_PARTS
}


def _on_post(request: Request, principal: Principal, g: WorkingGroup) -> list[dict[str, Any]]:
    """Secondments on post at the group's communes that the caller may read."""
    f = SecondmentFilter(state=ON_POST, province_code=g.province_code)
    found = SecondmentsView(get_read_store(request)).search(f, scope_of(principal), 0, 500)
    return [r for r in found.items if r["ward_code"] in g.ward_codes]


def _page(request: Request, principal: Principal, g: WorkingGroup, filled: Filled) -> Response:
    context = {
        **filled.context(),
        "title": g.name,
        "g": shown(g, principal),
        "ward_options": [(str(w.ward_code), w.ward_name) for w in shown(g, principal).wards],
        "secondment_options": [
            (r["secondment_id"], f"{r['full_name']} ({r['ward_name']})")
            for r in (_on_post(request, principal, g) if g.state == "active" else [])
        ],
        "issue_rows": range(ISSUE_ROWS),
        "fields": labels.FIELDS,
        "done": request.query_params.get("done", ""),
        "trail": [
            presenters.event(e)
            for e in WorkingGroups(request.app.state.registry).history(g.id, 0, 500)
        ],
    }
    return render(request, "working_group.html", context, filled.status, principal)


@router.get("/working-groups/{group_id}")
def group_page(request: Request, principal: Who, group_id: UUID) -> Response:
    g = visible(WorkingGroups(request.app.state.registry), principal, group_id)
    return _page(request, principal, g, Filled())


@router.post("/working-groups/{group_id}/visits")
async def record_visit(request: Request, principal: Who, group_id: UUID) -> Response:
    values = await posted(request)
    return await run_in_threadpool(_visit, request, principal, group_id, values)


def _issues(values: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for i in range(ISSUE_ROWS):
        issue = {p: values.get(f"issues.{i}.{p}", "").strip() for p in ISSUE_PARTS}
        if issue["title"] or issue["detail"]:
            found.append({k: v for k, v in issue.items() if v or k != "secondment_id"})
    return found


def _visit(
    request: Request, principal: Principal, group_id: UUID, values: dict[str, Any]
) -> Response:
    groups = WorkingGroups(request.app.state.registry)
    g = visible(groups, principal, group_id)
    ward = values.get("ward_code", "")
    raw = {
        "ward_code": int(ward) if ward.isdigit() else ward,
        "visited_on": labels.parse_vn_date(values.get("visited_on", ""))
        or values.get("visited_on"),
        "findings": values.get("findings", ""),
        "guidance": values.get("guidance", ""),
        "issues": _issues(values),
    }
    try:
        body = VisitBody.model_validate(raw)
    except ValidationError as e:
        return _page(request, principal, g, Filled(values, field_errors(e), 422))
    payload = json.dumps([str(group_id), body.model_dump(mode="json")]).encode()
    command = context_for(request, principal, values.get("idempotency_key", ""), payload)
    try:
        route.record_visit(group_id, body, command)
    except DomainError as e:
        return _page(request, principal, g, Filled(values, domain_errors(e, VISIT_FIELDS), 422))
    ReadModels(get_read_store(request)).wait(head(command.registry), timeout=5)
    return RedirectResponse(f"/ui/working-groups/{group_id}?done=visit", 303)
