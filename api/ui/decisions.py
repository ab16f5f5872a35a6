"""Decisions from the dashboard: approving a batch of requests under one decision
(/ui/decisions/new: filters, select all, who would fail and why before anything is recorded,
a per-official override reason), and the printable list attached to a decision."""

from __future__ import annotations

import json
import re
import uuid
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api import access
from api.auth import Principal
from api.errors import ApiProblem
from api.routers import decisions as decision_route
from api.routers import imports as import_route
from api.routers import queries
from api.routers.readside import get_read_store, scope_of
from api.schemas.commands import DecisionCreate
from api.ui import labels, listing, session
from api.ui.messages import FieldError
from api.ui.render import render
from api.ui.requests import context_for
from api.ui.session import UiRoute
from domain.errors import RuleViolation
from projections.catalog import ReadModels, head

router = APIRouter(route_class=UiRoute)
Who = Annotated[Principal, Depends(session.principal)]
DECISION_FIELDS = ("decision_number", "decision_date", "decision_issuer", "start", "end")
LISTED = re.compile(r"secondment_ids\[(\d+)\]")
FILTERS = ("q", "ward_code", "home_agency", "field", "kind")


def _candidates(request: Request, principal: Principal, raw: dict[str, str]) -> Any:
    """The requests waiting for approval that the caller may see, filtered like the list."""
    filters = listing.Filters({**{k: raw.get(k, "") for k in FILTERS}, "state": "requested"})
    return listing.page_of(request, principal, filters.arguments(), None, listing.EXPORT_PAGE)


def _page(
    request: Request,
    principal: Principal,
    values: dict[str, Any],
    errors: list[FieldError],
    failing: dict[str, list[str]] | None = None,
    status: int = 200,
) -> Response:
    rows = _candidates(request, principal, values)["items"]
    context = {
        "title": "Phê duyệt theo quyết định",
        "values": values,
        "rows": rows,
        "chosen": set(values.get("ids", [])),
        "errors": errors,
        "general": [e.message for e in errors if e.field == ""],
        "failing": failing or {},
        "checked": failing == {},
        "fields": labels.FIELDS,
        "key": values.get("idempotency_key") or uuid.uuid4().hex,
    }
    return render(request, "decision_new.html", context, status, principal)


@router.get("/decisions/new")
def new_decision_page(request: Request, principal: Who) -> Response:
    """Phê duyệt theo quyết định: choose requests, enter the decision."""
    access.require(principal, access.DECIDE)
    values: dict[str, Any] = {k: request.query_params.get(k, "")[:200] for k in FILTERS}
    return _page(request, principal, values, [])


@router.post("/decisions/new")
async def new_decision(request: Request, principal: Who) -> Response:
    form = await request.form()
    session.check_csrf(request, form)
    values: dict[str, Any] = {k: str(v) for k, v in form.items() if k != "csrf"}
    values["ids"] = [str(i) for i in form.getlist("ids")]
    return await run_in_threadpool(_decide, request, principal, values)


def _iso(text: str) -> str:
    day = labels.parse_vn_date(text)
    return day.isoformat() if day else text


def _decide(request: Request, principal: Principal, values: dict[str, Any]) -> Response:
    access.require(principal, access.DECIDE)
    given = [
        _iso(values.get(k, "").strip())
        if k in ("decision_date", "start", "end")
        else values.get(k, "").strip()
        for k in DECISION_FIELDS
    ]
    ids = values["ids"]
    overrides = {i: values.get(f"override_{i}", "").strip() for i in ids}
    try:
        approval = import_route.approval_of(*given) if any(given) else None
    except ApiProblem as e:
        found = [FieldError(str(x.field).replace(".", "_"), x.rule) for x in e.extra["errors"]]
        return _page(request, principal, values, found, status=422)
    errors = [] if approval else [FieldError("decision_number", "missing")]
    if not ids:
        errors.append(FieldError("", "secondments_required"))
    if errors or approval is None:
        return _page(request, principal, values, errors, status=422)
    body = DecisionCreate.model_validate(
        {
            "decision": {"number": given[0], "date": given[1], "issuer": given[2]},
            "start": given[3],
            "end": given[4],
            "secondment_ids": ids,
            "overrides": {k: v for k, v in overrides.items() if v},
        }
    )
    payload = json.dumps(body.model_dump(mode="json")).encode()
    key = values.get("idempotency_key", "") if values.get("step") == "approve" else ""
    command = context_for(request, principal, key, payload)
    registry = command.registry
    try:
        if values.get("step") != "approve":
            command.decide(
                body.secondment_ids,
                lambda meta: registry.approve_many(
                    meta,
                    body.secondment_ids,
                    approval.decision,
                    approval.term,
                    overrides=body.overrides,
                    dry_run=True,
                ),
            )
            return _page(request, principal, values, [], {})
        decision_route.approve_by_decision(body, command, registry)
    except RuleViolation as e:
        return _page(request, principal, values, [], _failing(e, ids), 422)
    ReadModels(get_read_store(request)).wait(head(registry), timeout=5)
    number = quote(body.decision.number)
    return RedirectResponse(f"/ui/decisions?number={number}&done=approve", 303)


def _failing(e: RuleViolation, ids: list[str]) -> dict[str, list[str]]:
    """Each failing request's problems (in Vietnamese), by its id."""
    found: dict[str, list[str]] = {}
    for v in e.violations:
        match = LISTED.match(v.field)
        key = ids[int(match.group(1))] if match else ""
        found.setdefault(key, []).append(FieldError("", v.rule).message)
    return found


@router.get("/decisions/print")
def print_list(
    request: Request, principal: Who, number: Annotated[str, Query(min_length=1, max_length=100)]
) -> Response:
    """Danh sách kèm theo Quyết định: numbered, laid out as an administrative document."""
    store = get_read_store(request)
    found = json.loads(
        bytes(queries.decision(request, store, scope_of(principal), number, limit=500).body)
    )
    registry = request.app.state.registry
    positions = {
        i["secondment_id"]: registry.get(UUID(i["secondment_id"])).official.position
        for i in found["items"]
    }
    context = {
        "title": f"Danh sách kèm theo Quyết định số {number}",
        "d": found,
        "items": found["items"],
        "positions": positions,
        "number": number,
    }
    return render(request, "decision_print.html", context, principal=principal)
