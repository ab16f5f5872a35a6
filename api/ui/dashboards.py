"""Pages over the read models: the overview, one commune, one decision.

They ask the same views, with the same scope (`readside.scope_of`) and the same item shapes, as the
query and report routers; there is no SQL here.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from api import access
from api.auth import Principal
from api.plan_access import plan_scope
from api.routers import queries, reports
from api.routers.readside import get_read_store, scope_of
from api.ui import charts, labels, session
from api.ui.render import render
from api.ui.session import UiRoute
from domain import lifecycle, plan_lifecycle
from domain.plan_lifecycle import PLAN
from domain.values import DifficultyStatus, Host, Role
from projections.base import Scope
from projections.catalog import ReadModels, head
from projections.plans import PlansView
from projections.secondments import SecondmentsView
from projections.store import ReadStore

router = APIRouter(route_class=UiRoute)
Who = Annotated[Principal, Depends(session.principal)]
PAGE, MOST = 500, 5000
SOON_DAYS, HORIZON_DAYS = 30, 180


def _today() -> date:
    return datetime.now(labels.VIETNAM).date()


def _json(response: Response) -> Any:
    return json.loads(bytes(response.body))


def _on_post(request: Request, store: ReadStore, scope: Scope) -> list[dict[str, Any]]:
    """Every secondment on post in scope (at most MOST), as GET /v1/secondments lists them."""
    rows: list[dict[str, Any]] = []
    cursor = None
    states = [queries.State(name) for name in lifecycle.ON_POST]
    while len(rows) < MOST:
        page = _json(
            queries.list_secondments(request, store, scope, state=states, limit=PAGE, cursor=cursor)
        )
        rows.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    return rows


def _difficulties(request: Request, store: ReadStore, scope: Scope, status: Any) -> Any:
    return _json(reports.difficulties(request, store, scope, status=status, limit=10))


def _overview(request: Request, store: ReadStore, scope: Scope) -> dict[str, Any]:
    today = _today()
    on_post = _on_post(request, store, scope)
    by_field = Counter(f for s in on_post for f in s["fields"])
    by_host = Counter(s["ward_name"] or s["province_name"] or "" for s in on_post)
    overdue = _json(reports.compliance(request, store, scope, overdue_only=True, limit=20))
    soon = _json(
        reports.deadlines(
            request, store, scope, within_days=SOON_DAYS, without_handover=True, limit=PAGE
        )
    )
    upcoming = _json(reports.deadlines(request, store, scope, within_days=HORIZON_DAYS, limit=PAGE))
    return {
        "by_state": SecondmentsView(store).count_by_state(scope),
        "on_post": len(on_post),
        "by_field": [(labels.label(f, "field"), n, None) for f, n in by_field.most_common(12)],
        "by_host": [(h, n, None) for h, n in by_host.most_common(12)],
        "soon": soon["items"],
        "soon_until": today + timedelta(days=SOON_DAYS),
        "overdue": overdue["items"],
        "open_difficulties": _difficulties(request, store, scope, DifficultyStatus.OPEN)["items"],
        "escalated_difficulties": _difficulties(request, store, scope, DifficultyStatus.ESCALATED)[
            "items"
        ],
        "difficulty_counts": _difficulties(request, store, scope, None)["by_status"],
        "ends_by_month": charts.months(upcoming["items"], today),
        "today": today,
        "cadence": request.app.state.settings.report_cadence_days,
    }


@router.get("")
def overview(request: Request, principal: Who) -> Response:
    """Tổng quan: the caller's scope at a glance (an admin sees the read models' state)."""
    store = get_read_store(request)
    if principal.role is Role.ADMIN:
        found = ReadModels(store).status(head(request.app.state.registry))
        context = {"title": "Tình trạng dữ liệu tổng hợp", "models": found}
        return render(request, "admin.html", context, principal=principal)
    scope = scope_of(principal)
    context = {"title": "Tổng quan", **_overview(request, store, scope)}
    return render(request, "overview.html", context, principal=principal)


@router.get("/communes/{ward_code}")
def commune_page(
    request: Request,
    principal: Who,
    ward_code: Annotated[int, Path(ge=1, le=99999)],
    done: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """Một xã: declared needs, who is there now by field, and the fields still uncovered."""
    store = get_read_store(request)
    found = queries.commune(ward_code, store, scope_of(principal))
    by_field: dict[str, list[dict[str, Any]]] = {}
    for s in found["active_secondments"]:
        for f in s["fields"]:
            by_field.setdefault(f, []).append(s)
    context = {
        "title": found["ward_name"] or f"Xã {ward_code}",
        "c": found,
        "open_plans": _open_plans(store, principal, ward_code),
        "plan_states": PLAN.state_labels,
        "done": labels.DONE.get(done, ""),
        "may_declare": access.may_declare_needs(principal, Host(found["province_code"], ward_code))
        and access.permits(principal, access.DECLARE_NEEDS),
        "by_field": by_field,
        "field_bars": [(labels.label(f, "field"), len(v), None) for f, v in by_field.items()],
    }
    return render(request, "commune.html", context, principal=principal)


def _open_plans(store: ReadStore, principal: Principal, ward_code: int) -> list[dict[str, Any]]:
    """The open plans with a target at this commune that the caller may read (none for a
    role that reads no plans)."""
    if not PLAN.permits(principal.role, plan_lifecycle.READ):
        return []
    return PlansView(store).open_for(ward_code, plan_scope(principal))


@router.get("/decisions")
def decision_page(
    request: Request,
    principal: Who,
    number: Annotated[str, Query(min_length=1, max_length=100)],
    done: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """Một quyết định: everything it approved, by kind, field and host."""
    store = get_read_store(request)
    found = _json(queries.decision(request, store, scope_of(principal), number, limit=500))
    summary, items = found, found["items"]
    context = {
        "title": f"Quyết định số {number}",
        "done": labels.DONE.get(done, ""),
        "number": number,
        "d": summary,
        "items": items,
        "fields": [
            (labels.label(f, "field"), n, None)
            for f, n in sorted(summary["by_field"].items(), key=lambda x: -x[1])
        ],
        "hosts": [
            (h["ward_name"] or h["province_name"] or "", h["officials"], None)
            for h in summary["by_host"]
        ],
    }
    return render(request, "decision.html", context, principal=principal)
