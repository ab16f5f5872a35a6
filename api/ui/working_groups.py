"""Tổ công tác in the dashboard: the list, the form that forms a group, and the coverage
report (communes visited and not yet visited, and those no group has visited) with exports.
Commands go through the API's own routes, with the same permission and scope checks."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api import spreadsheet
from api.access import require_declared
from api.auth import Principal
from api.errors import ApiProblem
from api.routers import working_groups as route
from api.routers.readside import get_read_store
from api.schemas.working_groups import WorkingGroupBody
from api.ui import labels, listing, session
from api.ui.messages import FieldError, from_domain
from api.ui.render import render
from api.ui.requests import context_for, wards_for
from api.ui.session import UiRoute
from api.working_groups import group_scope
from domain.errors import DomainError
from domain.units import province_name
from domain.working_group_lifecycle import FORM, WORKING_GROUP
from projections.catalog import ReadModels, head
from projections.working_groups import WorkingGroupsView, present

router = APIRouter(route_class=UiRoute)
Who = Annotated[Principal, Depends(session.principal)]
GROUP_FIELDS = {"name", "leader.full_name", "leader.position", "leader.unit", "ward_codes"}
COVERAGE = (
    ("Tỉnh, thành phố", "province_name"),
    ("Mã xã", "ward_code"),
    ("Xã, phường", "ward_name"),
    ("Tổ công tác", "group_name"),
    ("Số buổi làm việc", "visits"),
    ("Lần gần nhất", "last_visited_on"),
)


def field_errors(e: ValidationError) -> list[FieldError]:
    """The request model's complaints at the form's inputs (`issues.0.title`)."""
    return [FieldError(".".join(str(p) for p in x["loc"]), x["type"]) for x in e.errors()]


def domain_errors(e: DomainError, fields: set[str]) -> list[FieldError]:
    """A refused command's problems, `issues[0].x` named like the form's `issues.0.x`."""
    found = from_domain(e, fields | {"ward_code", "visited_on"})
    named = [FieldError(f.field.replace("[", ".").replace("]", ""), f.rule) for f in found]
    return [FieldError(f.field if f.field in fields else "", f.rule) for f in named]


@router.get("/working-groups")
def list_page(request: Request, principal: Who) -> Response:
    """Tổ công tác: the groups the caller may see, with communes visited and not yet."""
    scope = group_scope(principal)
    page, visited = WorkingGroupsView(get_read_store(request)).groups(scope, None, 0, 500)
    context = {
        "title": "Tổ công tác",
        "groups": [present(r, visited[r["group_id"]]) for r in page.items],
        "can_form": WORKING_GROUP.permits(principal.role, FORM),
        "done": request.query_params.get("done", ""),
    }
    return render(request, "working_groups.html", context, principal=principal)


@dataclass(frozen=True)
class Filled:
    """A form as it goes back to its page: what was typed, the problems found, the status."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)
    status: int = 200

    def context(self) -> dict[str, Any]:
        return {
            "values": self.values,
            "errors": self.errors,
            "general": [e.message for e in self.errors if e.field == ""],
            "key": self.values.get("idempotency_key") or uuid.uuid4().hex,
        }


async def posted(request: Request, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """A posted form's values (its CSRF token checked), `lists` as lists."""
    form = await request.form()
    session.check_csrf(request, form)
    values: dict[str, Any] = {k: str(v) for k, v in form.items() if k != "csrf"}
    return values | {name: [str(v) for v in form.getlist(name)] for name in lists}


def _form_page(request: Request, principal: Principal, filled: Filled) -> Response:
    context = {"title": "Thành lập tổ công tác", "wards": wards_for(principal), **filled.context()}
    return render(request, "working_group_new.html", context, filled.status, principal)


@router.get("/working-groups/new")
def new_page(request: Request, principal: Who) -> Response:
    require_declared(principal, WORKING_GROUP, FORM)
    return _form_page(request, principal, Filled({"ward_codes": []}))


@router.post("/working-groups/new")
async def new(request: Request, principal: Who) -> Response:
    values = await posted(request, ("ward_codes",))
    return await run_in_threadpool(_form, request, principal, values)


def _members(text: str) -> list[dict[str, str]]:
    """One member a line: "họ tên; chức vụ; đơn vị"."""
    found = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.split(";")]
        if any(parts):
            name, position, unit = [*parts, "", "", ""][:3]
            found.append({"full_name": name, "position": position, "unit": unit})
    return found


def _form(request: Request, principal: Principal, values: dict[str, Any]) -> Response:
    require_declared(principal, WORKING_GROUP, FORM)
    leader = {k: values.get(f"leader.{k}", "") for k in ("full_name", "position", "unit")}
    raw = {
        "name": values.get("name", ""),
        "leader": leader,
        "members": _members(values.get("members", "")),
        "ward_codes": [int(w) for w in values["ward_codes"] if w.isdigit()],
        "formed_on": labels.parse_vn_date(values.get("formed_on", "")) or None,
    }
    try:
        body = WorkingGroupBody.model_validate(raw)
    except ValidationError as e:
        return _form_page(request, principal, Filled(values, field_errors(e), 422))
    payload = json.dumps(body.model_dump(mode="json")).encode()
    command = context_for(request, principal, values.get("idempotency_key", ""), payload)
    try:
        created = route.form(body, command)
    except DomainError as e:
        return _form_page(request, principal, Filled(values, domain_errors(e, GROUP_FIELDS), 422))
    except ApiProblem as e:
        found = [FieldError(str(x.field), x.rule) for x in e.extra.get("errors", [])]
        if not found:
            raise
        return _form_page(request, principal, Filled(values, found, 422))
    ReadModels(get_read_store(request)).wait(head(command.registry), timeout=5)
    return RedirectResponse(f"{created.headers['location'].replace('/v1', '/ui')}?done=form", 303)


def _coverage(request: Request, principal: Principal) -> list[dict[str, Any]]:
    province = request.query_params.get("province_code", "")
    code = int(province) if province.isdigit() else None
    return WorkingGroupsView(get_read_store(request)).coverage(group_scope(principal), code)


@router.get("/working-groups/coverage")
def coverage_page(request: Request, principal: Who) -> Response:
    """Báo cáo địa bàn: communes visited and not yet, by group; communes no group visited."""
    rows = _coverage(request, principal)
    visited = {r["ward_code"] for r in rows if r["visited"]}
    by_province: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r["ward_code"] not in visited and r["group_id"] is None:
            by_province.setdefault(r["province_name"] or "", []).append(r)
    context = {
        "title": "Địa bàn tổ công tác đã và chưa làm việc",
        "groups": [r for r in rows if r["group_id"]],
        "unvisited": by_province,
        "unvisited_count": len({r["ward_code"] for r in rows} - visited),
        "query": request.url.query,
        "province": province_name(principal.province_code) if principal.province_code else "",
    }
    return render(request, "working_group_coverage.html", context, principal=principal)


def _table(request: Request, principal: Principal) -> tuple[list[str], list[list[Any]]]:
    rows = _coverage(request, principal)
    return [h for h, _ in COVERAGE], [[r[k] for _, k in COVERAGE] for r in rows]


@router.get("/working-groups/coverage.csv")
def coverage_csv(request: Request, principal: Who) -> Response:
    names, rows = _table(request, principal)
    return listing.csv_response("dia-ban-to-cong-tac", names, rows)


@router.get("/working-groups/coverage.xlsx")
def coverage_xlsx(request: Request, principal: Who) -> Response:
    names, rows = _table(request, principal)
    return spreadsheet.xlsx_response("dia-ban-to-cong-tac", names, rows, "Địa bàn")
