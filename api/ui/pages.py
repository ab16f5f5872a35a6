"""Sign-in and sign-out, the lifecycle page, and the static assets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, RedirectResponse, Response

from api import access
from api.auth import Principal
from api.errors import ApiProblem
from api.ui import diagram, session
from api.ui.render import render
from api.ui.session import UiRoute
from domain import lifecycle

router = APIRouter(route_class=UiRoute)
Who = Annotated[Principal, Depends(session.principal)]
STATIC = Path(__file__).parent / "static"
ASSETS = {p.name: p for p in STATIC.iterdir() if p.is_file()}
TYPES = {".css": "text/css", ".js": "text/javascript", ".txt": "text/plain"}
REASONS = {
    "expired": "Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại.",
    "invalid": "Mã truy cập không hợp lệ. Hãy đăng nhập lại.",
    "signed_out": "Bạn đã đăng xuất.",
}


def _next(target: str) -> str:
    """Only a dashboard path: never a redirect to another site."""
    ok = target.startswith("/ui") and not target.startswith("//") and "\\" not in target
    return target if ok else "/ui"


def _sign_in_page(request: Request, next_: str, reason: str, error: str, status: int) -> Response:
    nonce, csrf = session.sign_in_nonce(request)
    context = {
        "title": "Đăng nhập",
        "next": _next(next_),
        "notice": REASONS.get(reason, ""),
        "error": error,
        "demo": session.demo_tokens(request),
        "csrf": csrf,
    }
    response = render(request, "sign_in.html", context, status)
    session.set_cookie(request, response, session.SIGN_IN_COOKIE, nonce, 3600)
    return response


@router.get("/sign-in")
def sign_in_page(
    request: Request,
    next: Annotated[str, Query(max_length=500)] = "/ui",
    reason: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """Đăng nhập: paste a token (or pick a demo role when the demo data is loaded)."""
    return _sign_in_page(request, next, reason, "", 200)


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    """Verifies the token like the API does, then keeps it in the session cookie."""
    form = await request.form()
    session.check_csrf(request, form, purpose="sign-in")
    token, target = str(form.get("token", "")).strip(), _next(str(form.get("next", "/ui")))
    try:
        await run_in_threadpool(request.app.state.tokens.principal, token)
    except ApiProblem as e:
        error = "Mã truy cập đã hết hạn." if "expired" in e.detail else "Mã truy cập không hợp lệ."
        if not token:
            error = "Vui lòng dán mã truy cập."
        return await run_in_threadpool(_sign_in_page, request, target, "", error, 422)
    response = RedirectResponse(target, 303)
    session.sign_in(request, response, token)
    return response


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    form = await request.form()
    session.check_csrf(request, form)
    response = RedirectResponse("/ui/sign-in?reason=signed_out", 303)
    session.sign_out(response)
    return response


@router.get("/lifecycle")
def lifecycle_page(
    request: Request,
    principal: Who,
    of: Annotated[str, Query(max_length=40)] = lifecycle.SECONDMENT.name,
) -> Response:
    """Vòng đời: the state diagram and table of a kind of record (secondments, plans, study
    visits, working groups), drawn from the domain's own declaration of it."""
    if of not in access.KINDS:
        raise ApiProblem(404, "not-found", "Not Found", "no such kind of record")
    declared = access.declared(of)
    described = declared.describe()
    people = [t for t in described["transitions"] if t["action"] not in declared.system_actions]
    roles = {
        role: [declared.action_labels[a] for a in actions if a in declared.action_labels]
        for role, actions in access.role_table_of(declared).items()
    }
    context = {
        "title": f"Vòng đời {access.KINDS[of]}",
        "of": of,
        "kinds": access.KINDS,
        "described": described,
        "svg": diagram.svg(declared, f"Sơ đồ trạng thái của {access.KINDS[of]}"),
        "transitions": people,
        "system": [t for t in described["transitions"] if t not in people],
        "roles": roles,
        "states": declared.state_labels,
        "actions": declared.action_labels,
        "mine": lambda p, state: declared.allowed_for(p.role, state),
    }
    return render(request, "lifecycle.html", context, principal=principal)


@router.get("/static/{name}")
def static(name: str) -> Response:
    path = ASSETS.get(name)
    if path is None:
        return Response("Không tìm thấy", 404, media_type="text/plain")
    headers = {"Cache-Control": "public, max-age=3600"}
    return FileResponse(path, media_type=TYPES.get(path.suffix), headers=headers)
