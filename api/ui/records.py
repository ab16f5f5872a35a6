"""The secondment page: the record (now, or as it was), its audit trail, and its action forms.

Actions go through the API's own route functions with a `CommandContext`, so a form is checked by
the same role table, scope, If-Match (the version the page showed) and Idempotency-Key (one per
rendered form, so a double submit records once) as an API call.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import datetime, time
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api import presenters, reads
from api.auth import Principal
from api.commands import CommandContext
from api.errors import ApiProblem
from api.idempotency import fingerprint
from api.routers import reporting, transitions
from api.ui import forms, labels, session, timeline
from api.ui.messages import FieldError, from_domain
from api.ui.render import render
from api.ui.session import UiRoute
from domain.application import SecondmentRegistry
from domain.errors import DomainError, NotFound, SecondmentNotFound
from domain.secondment import Secondment

router = APIRouter(route_class=UiRoute)
Who = Annotated[Principal, Depends(session.principal)]
TRAIL_PAGE = 100
KEY = re.compile(r"[\x21-\x7e]{1,200}")
Route = Callable[[UUID, Any, CommandContext, SecondmentRegistry, int | None], Response]
ROUTES: dict[str, Route] = {
    "approve": lambda i, b, c, r, n: transitions.approve(i, b, c, r),
    "reject": lambda i, b, c, r, n: transitions.reject(i, b, c, r),
    "withdraw": lambda i, b, c, r, n: transitions.withdraw(i, b, c, r),
    "deploy": lambda i, b, c, r, n: transitions.deploy(i, b, c, r),
    "extend": lambda i, b, c, r, n: transitions.extend(i, b, c, r),
    "handover": lambda i, b, c, r, n: transitions.handover(i, b, c, r),
    "end": lambda i, b, c, r, n: transitions.end(i, b, c, r),
    "recall": lambda i, b, c, r, n: transitions.recall(i, b, c, r),
    "return": lambda i, b, c, r, n: transitions.record_return(i, b, c, r),
    "report": lambda i, b, c, r, n: reporting.submit_report(i, b, c, r),
    "raise_difficulty": lambda i, b, c, r, n: reporting.raise_difficulty(i, b, c, r),
    "escalate_difficulty": lambda i, b, c, r, n: reporting.escalate_difficulty(i, n or 0, b, c, r),
    "resolve_difficulty": lambda i, b, c, r, n: reporting.resolve_difficulty(i, n or 0, b, c, r),
}
NEEDS_OPEN_DIFFICULTY = ("escalate_difficulty", "resolve_difficulty")


def _registry(request: Request) -> SecondmentRegistry:
    registry: SecondmentRegistry = request.app.state.registry
    return registry


def _moment(text: str) -> datetime | None:
    """The end of a dd/mm/yyyy day in Vietnam: the record as it stood that evening."""
    day = labels.parse_vn_date(text)
    return datetime.combine(day, time.max, labels.VIETNAM) if day else None


def _forms(
    s: Secondment, view: dict[str, Any], today: Any, failed: dict[str, Any] | None
) -> list[dict[str, Any]]:
    open_numbers = [
        (str(d.number), f"Số {d.number}: {d.title}") for d in s.difficulties if not d.resolved
    ]
    shown = []
    for action in view["allowed_actions"]:
        if action not in forms.FORMS or (action in NEEDS_OPEN_DIFFICULTY and not open_numbers):
            continue
        mine = failed if failed and failed["action"] == action else None
        shown.append(
            {
                "spec": forms.FORMS[action],
                "filled": mine["values"] if mine else forms.defaults(action, s, today),
                "errors": mine["errors"] if mine else [],
                "open": mine is not None,
                "numbers": open_numbers,
                "key": uuid.uuid4().hex,
            }
        )
    return shown


def _page(
    request: Request,
    principal: Principal,
    current: Secondment,
    shown: Secondment,
    status: int = 200,
    failed: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    registry = _registry(request)
    past = shown is not current
    view = presenters.view(shown, principal, current=not past)
    stored = registry.history(current.id, 0, shown.version)
    shown_forms = [] if past else _forms(current, view, registry.today(), failed)
    unshown = failed and failed["action"] not in {f["spec"].action for f in shown_forms}
    context = {
        "s": view,
        "record": shown,
        "past": past,
        "current_version": current.version,
        "forms": shown_forms,
        "refused": [e.message for e in failed["errors"]] if failed and unshown else [],
        "trail": timeline.fold([timeline.entry(e) for e in reversed(stored)]),
        "title": f"{shown.official.full_name} — {labels.label(shown.kind, 'kind')}",
        **(extra or {}),
    }
    return render(request, "secondment.html", context, status, principal)


@router.get("/secondments/{secondment_id}")
def secondment_page(
    request: Request,
    secondment_id: UUID,
    principal: Who,
    version: Annotated[int | None, Query(ge=1)] = None,
    as_of: Annotated[str, Query(max_length=40)] = "",
    done: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """Hồ sơ biệt phái: now, at a version, or as of a day (dd/mm/yyyy)."""
    registry = _registry(request)
    current = reads.visible(registry, principal, secondment_id)
    extra: dict[str, Any] = {"as_of": as_of, "done": labels.DONE.get(done, "")}
    at = _moment(as_of) if as_of else None
    if as_of and at is None:
        extra["as_of_error"] = FieldError("as_of", "date_format").message
    try:
        shown = reads.past(registry, current, version if at is None else None, at) or current
    except NotFound:
        extra["as_of_error"] = "Hồ sơ chưa được lập vào ngày này."
        shown = current
    return _page(request, principal, current, shown, extra=extra)


@router.get("/secondments/{secondment_id}/print")
def printable(request: Request, secondment_id: UUID, principal: Who) -> Response:
    """Phiếu hồ sơ: the record and its whole trail, laid out for paper."""
    registry = _registry(request)
    current = reads.visible(registry, principal, secondment_id)
    context = {
        "s": presenters.view(current, principal, current=False),
        "trail": [timeline.entry(e) for e in registry.history(current.id, 0, current.version)],
        "title": f"Hồ sơ biệt phái — {current.official.full_name}",
        "printed_on": registry.today(),
    }
    return render(request, "secondment_print.html", context, principal=principal)


@router.post("/secondments/{secondment_id}/{action}")
async def act(request: Request, secondment_id: UUID, action: str, principal: Who) -> Response:
    """Carries out an action form through the API's route for it."""
    posted = await request.form()
    session.check_csrf(request, posted)
    spec = forms.FORMS.get(action)
    if spec is None:
        raise SecondmentNotFound(secondment_id)
    values = {k: str(v) for k, v in posted.items()}
    submission = forms.parse(spec, values)
    if not submission.errors:
        submission.errors = await run_in_threadpool(
            _command, request, principal, secondment_id, action, submission, values
        )
    if not submission.errors:
        return RedirectResponse(f"/ui/secondments/{secondment_id}?done={action}", 303)
    failed = {"action": action, "values": submission.values, "errors": submission.errors}
    return await run_in_threadpool(_refused, request, principal, secondment_id, failed)


def _refused(
    request: Request, principal: Principal, secondment_id: UUID, failed: dict[str, Any]
) -> Response:
    current = reads.visible(_registry(request), principal, secondment_id)
    return _page(request, principal, current, current, 422, failed)


def _command(
    request: Request,
    principal: Principal,
    secondment_id: UUID,
    action: str,
    submission: forms.Submission,
    posted: dict[str, str],
) -> list[FieldError]:
    assert submission.body is not None
    key = posted.get("idempotency_key", "")
    version = posted.get("version", "")
    payload = json.dumps([submission.body.model_dump(mode="json"), submission.number])
    context = CommandContext(
        principal=principal,
        registry=_registry(request),
        replays=request.app.state.idempotency,
        request_id=request.state.request_id,
        fingerprint=fingerprint("POST", f"/ui/{secondment_id}/{action}", payload.encode()),
        idempotency_key=key if KEY.fullmatch(key) else None,
        expected_version=int(version) if version.isdigit() else None,
    )
    fields = {i.name for i in forms.FORMS[action].inputs}
    try:
        ROUTES[action](secondment_id, submission.body, context, context.registry, submission.number)
    except SecondmentNotFound:
        raise
    except ApiProblem as e:
        if e.status == 404:
            raise
        rules = [getattr(x, "rule", "") for x in e.extra.get("errors", [])] or ["forbidden"]
        return [FieldError("", rule) for rule in rules]
    except DomainError as e:
        return from_domain(e, fields)
    return []
