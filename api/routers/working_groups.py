"""Working groups (tổ công tác): form one, record its visits to communes (an issue may open a
difficulty on a secondment there), add members and communes, close it; the group, the list,
its audit trail and the coverage report (communes visited and not yet visited)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from api import reads
from api.commands import json_response
from api.deps import CommandDep, PrincipalDep, RegistryDep
from api.errors import invalid
from api.pagination import Cursor, Limit, UnitCode
from api.responses import OrjsonResponse
from api.routers.readside import cursor_value, page_response, reading
from api.schemas import working_groups as schema
from api.schemas.problems import COMMAND, READ, problems
from api.schemas.views import EventPage
from api.working_groups import group_scope, in_province, recorded, shown, visible
from domain import working_group_lifecycle as wg
from domain.commanding import Done
from domain.units import ward_province
from domain.values import CommandMeta
from domain.working_group_records import Member, VisitIssue
from domain.working_groups import NewGroup, NewVisit, WorkingGroups
from projections.base import Page
from projections.store import ReadStore
from projections.working_groups import WorkingGroupsView, present

router = APIRouter(prefix="/v1/working-groups", tags=["working groups"])
reports = APIRouter(prefix="/v1/reports", tags=["reports"], responses=problems(READ))
RECORDED: dict[str, Any] = {
    "response_model": schema.WorkingGroupRecorded,
    "responses": problems(COMMAND),
}
GroupState = Annotated[str | None, Query(pattern="^(active|closed)$")]


def _member(m: schema.MemberBody) -> Member:
    return Member(m.full_name, m.position, m.unit)


@router.post("", status_code=201, **RECORDED)
def form(body: schema.WorkingGroupBody, command: CommandDep) -> Response:
    """Thành lập tổ công tác (`home_affairs` of its province, `ministry`): the communes it
    covers are in one province (by default the first commune's)."""
    province = body.province_code or ward_province(body.ward_codes[0])
    if province is None:
        raise invalid("ward_codes[0]", "unknown commune or ward code", "ward_exists")
    in_province(command.principal, province)
    groups = WorkingGroups(command.registry)
    new = NewGroup(
        province,
        body.name,
        _member(body.leader),
        tuple(_member(m) for m in body.members),
        tuple(body.ward_codes),
        body.formed_on or command.registry.today(),
    )
    return command.create_declared(
        wg.WORKING_GROUP,
        wg.FORM,
        lambda meta: groups.form(meta, new),
        lambda done: recorded(done, command.principal),
        lambda done: f"/v1/working-groups/{done.record.id}",
    )


Run = Callable[[WorkingGroups, CommandMeta, int | None], Done[Any]]


def _on_group(command: CommandDep, group_id: UUID, action: str, run: Run) -> Response:
    """Runs `run(groups, meta, expected_version)` on a group the caller may see."""
    groups = WorkingGroups(command.registry)
    return command.on_declared(
        wg.WORKING_GROUP,
        action,
        lambda: visible(groups, command.principal, group_id),
        lambda meta, expected: run(groups, meta, expected),
        lambda done: recorded(done, command.principal),
    )


@router.post("/{group_id}/visits", **RECORDED)
def record_visit(group_id: UUID, body: schema.VisitBody, command: CommandDep) -> Response:
    """Ghi nhận buổi làm việc với UBND xã: findings, guidance and issues; an issue naming a
    secondment on post at that commune opens a difficulty on it, saved with the visit."""
    issues = tuple(VisitIssue(i.title, i.detail, i.field, i.secondment_id) for i in body.issues)
    new = NewVisit(body.ward_code, body.visited_on, body.findings, body.guidance, issues)
    return _on_group(
        command, group_id, wg.RECORD_VISIT, lambda g, m, v: g.record_visit(group_id, m, v, new)
    )


@router.post("/{group_id}/additions", **RECORDED)
def enlarge(group_id: UUID, body: schema.AdditionsBody, command: CommandDep) -> Response:
    """Bổ sung thành viên, xã phường phụ trách (in the group's province)."""
    members = [_member(m) for m in body.members]
    return _on_group(
        command,
        group_id,
        wg.ENLARGE,
        lambda g, m, v: g.enlarge(group_id, m, v, members, body.ward_codes),
    )


@router.post("/{group_id}/close", **RECORDED)
def close(group_id: UUID, body: schema.CloseBody, command: CommandDep) -> Response:
    """Kết thúc hoạt động của tổ công tác: active → closed."""
    on = body.closed_on or command.registry.today()
    return _on_group(
        command, group_id, wg.CLOSE, lambda g, m, v: g.close(group_id, m, v, on, body.reason)
    )


@dataclass
class Paging:
    """A page of a group's audit trail."""

    limit: Limit = 50
    cursor: Cursor = None


@router.get("/lifecycle", responses=problems(READ))
def lifecycle(principal: PrincipalDep) -> Response:
    """The working group's states, actions, guards and roles, and its Mermaid diagram: read off
    the same declaration the aggregate and the permission check use."""
    group_scope(principal)
    return OrjsonResponse(wg.WORKING_GROUP.describe())


@router.get("/{group_id}", response_model=schema.WorkingGroupView, responses=problems(READ))
def one(group_id: UUID, principal: PrincipalDep, registry: RegistryDep) -> Response:
    """The group: leader, members, communes covered, visited and not yet visited, its visits."""
    g = visible(WorkingGroups(registry), principal, group_id)
    return json_response(shown(g, principal), 200, {"ETag": f'"{g.version}"'})


PagingDep = Annotated[Paging, Depends()]


@router.get("/{group_id}/events", response_model=EventPage, responses=problems(READ))
def events(
    group_id: UUID, principal: PrincipalDep, registry: RegistryDep, paging: PagingDep
) -> Response:
    """The group's audit trail, oldest first: who did what, when."""
    groups = WorkingGroups(registry)
    visible(groups, principal, group_id)
    history = groups.history
    page = reads.history_page(
        lambda after, n: history(group_id, after, n), paging.cursor, paging.limit, True
    )
    return json_response(page)


@router.get("", responses=problems(READ))
def listed(
    request: Request,
    principal: PrincipalDep,
    store: Annotated[ReadStore, reading(WorkingGroupsView)],
    state: GroupState = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """The groups the caller may see (a province's; a commune's: those covering it), oldest
    first, with the communes each has visited and not yet visited."""
    scope = group_scope(principal)
    after = cursor_value(cursor, "seq", int, 0)
    page, visited = WorkingGroupsView(store).groups(scope, state, after, limit)
    items = [present(r, visited[r["group_id"]]) for r in page.items]
    return page_response(request, items, page, csv_allowed=False)


@reports.get("/working-groups")
def coverage(
    request: Request,
    principal: PrincipalDep,
    store: Annotated[ReadStore, reading(WorkingGroupsView)],
    province_code: UnitCode = None,
) -> Response:
    """Communes visited and not yet visited, by group, and the communes of each province that
    no working group has visited (also CSV and .xlsx by `Accept`)."""
    rows = WorkingGroupsView(store).coverage(group_scope(principal), province_code)
    visited = {r["ward_code"] for r in rows if r["visited"]}
    unvisited = sorted({r["ward_code"] for r in rows} - visited)
    return page_response(request, rows, Page(rows, None), not_visited_by_any=unvisited)
