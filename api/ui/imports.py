"""Nhập danh sách (/ui/imports): a spreadsheet of requests, previewed row by row with each row's
problems in Vietnamese, then recorded all or none (optionally approved under one decision) by
the API's own import route. The previewed file travels in the form, so what is imported is
exactly what was previewed."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response

from api import access, imports, spreadsheet
from api.auth import Principal
from api.errors import ApiProblem
from api.routers import imports as import_route
from api.schemas.views import ImportResult
from api.ui import labels, session
from api.ui.messages import FieldError
from api.ui.render import render
from api.ui.requests import context_for
from api.ui.session import UiRoute

router = APIRouter(route_class=UiRoute)
Who = Annotated[Principal, Depends(session.principal)]
DECISION_FIELDS = ("decision_number", "decision_date", "decision_issuer", "start", "end")
DATES = ("decision_date", "start", "end")


def _page(
    request: Request,
    principal: Principal,
    values: dict[str, str],
    errors: list[FieldError],
    result: ImportResult | None = None,
    status: int = 200,
) -> Response:
    context = {
        "title": "Nhập danh sách đề nghị",
        "values": values,
        "errors": errors,
        "general": [e.message for e in errors if e.field == ""],
        "result": result,
        "messages": {
            p.rule: FieldError("", p.rule).message for p in (result.problems if result else [])
        },
        "may_decide": access.permits(principal, access.DECIDE),
        "key": uuid.uuid4().hex,
    }
    return render(request, "imports.html", context, status, principal)


@router.get("/imports")
def imports_page(request: Request, principal: Who) -> Response:
    """Nhập danh sách: the upload form and the template."""
    access.require(principal, access.REQUEST)
    return _page(request, principal, {}, [])


@router.get("/imports/template")
def template(principal: Who) -> Response:
    """The template (.xlsx) with the Vietnamese column headers and one example row."""
    access.require(principal, access.REQUEST)
    year = date.today().year
    rows = [imports.example(year)]
    return spreadsheet.xlsx_response(
        "mau-danh-sach-biet-phai", imports.template_columns(year), rows
    )


@router.post("/imports")
async def import_list(request: Request, principal: Who) -> Response:
    """Preview (`step=preview`) or import (`step=import`) a list."""
    form = await request.form()
    session.check_csrf(request, form)
    upload = form.get("file")
    values = {k: str(v) for k, v in form.items() if not isinstance(v, UploadFile)}
    content = b""
    if isinstance(upload, UploadFile) and upload.filename:
        content, values["filename"] = await upload.read(), upload.filename
    elif values.get("content"):
        try:
            content = base64.b64decode(values["content"], validate=True)
        except binascii.Error:
            content = b""
    return await run_in_threadpool(_run, request, principal, values, content)


def _iso(text: str) -> str:
    day = labels.parse_vn_date(text)
    return day.isoformat() if day else text


def _run(
    request: Request, principal: Principal, values: dict[str, str], content: bytes
) -> Response:
    values.pop("csrf", None)
    if not content:
        return _page(request, principal, values, [FieldError("file", "missing")], status=422)
    values["content"] = base64.b64encode(content).decode()
    dry = values.get("step") != "import"
    given = {k: values.get(k, "").strip() for k in DECISION_FIELDS}
    dated = {k: _iso(v) if k in DATES else v for k, v in given.items()}
    key = values.get("idempotency_key", "") if not dry else ""
    command = context_for(request, principal, key, content + repr(sorted(dated.items())).encode())
    try:
        approval = import_route.approval_of(*dated.values())
        result = command.once(
            import_route.IMPORT,
            lambda: _json(
                import_route.run_import(command, content, values.get("filename", ""), approval, dry)
            ),
        )
    except ApiProblem as e:
        if e.status == 403:
            raise
        fields = [
            (getattr(x, "field", "file"), getattr(x, "rule", "")) for x in e.extra.get("errors", [])
        ]
        errors = [
            FieldError(f.replace(".", "_") if f.startswith("decision") else f, r) for f, r in fields
        ]
        return _page(request, principal, values, errors, status=422)
    found = ImportResult.model_validate_json(bytes(result.body))
    return _page(request, principal, values, [], found, 422 if found.problems and not dry else 200)


def _json(result: ImportResult) -> Response:
    """The result as the idempotency store keeps it (only a list recorded in full is kept)."""
    status = 422 if result.problems and not result.dry_run else 200
    return Response(result.model_dump_json(), status, media_type="application/json")
