"""Who is signed in to the dashboard, and the guards around every page and form.

The bearer token is kept in an HttpOnly, SameSite=Strict cookie scoped to /ui; each page checks it
with the API's own verifier and access rules. Every POST carries a CSRF token that is an HMAC of
that cookie (or, before sign-in, of a sign-in nonce cookie), so a form from another site, which
can neither read nor forge the cookie, cannot act.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable, Coroutine, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlparse

import jwt
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.responses import RedirectResponse, Response

from api.auth import Principal, TokenVerifier, mint_token, signing_secret
from api.errors import ApiProblem
from api.logs import redacted
from api.settings import Settings
from domain.errors import DomainError, NotFound

log = logging.getLogger("secondments.ui")
TOKEN_COOKIE = "sr_session"
SIGN_IN_COOKIE = "sr_sign_in"
COOKIE_PATH = "/ui"
DEMO_ROLES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("UBND xã Nậm Nèn", {"role": "commune", "province_code": 11, "ward_code": 3194}),
    (
        "Sở Khoa học và Công nghệ Điện Biên",
        {"role": "agency", "province_code": 11, "home_agency": "Sở Khoa học và Công nghệ"},
    ),
    ("Cán bộ Đào Duy Hưng", {"role": "official", "personnel_id": "DB-KHCN-0001"}),
    ("Sở Nội vụ Điện Biên", {"role": "home_affairs", "province_code": 11}),
    ("Bộ Nội vụ", {"role": "ministry"}),
    ("Kiểm tra, giám sát Điện Biên", {"role": "auditor", "province_code": 11}),
    ("Quản trị hệ thống", {"role": "admin"}),
)
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class SignInRequired(Exception):
    """Raised when a page needs a signed-in user and there is none (or the token lapsed)."""

    def __init__(self, reason: str = "") -> None:
        super().__init__(reason)
        self.reason = reason


class CsrfRejected(Exception):
    """Raised when a form arrives without the CSRF token of the session, or from another site."""


def _key(request: Request) -> bytes:
    key: bytes | None = getattr(request.app.state, "ui_csrf_key", None)
    if key is None:
        settings: Settings = request.app.state.settings
        key = hashlib.sha256(b"ui-csrf:" + signing_secret(settings).encode()).digest()
        request.app.state.ui_csrf_key = key
    return key


def _mac(request: Request, purpose: str, value: str) -> str:
    return hmac.new(_key(request), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The CSRF token of the session cookie (or of the sign-in nonce before sign-in)."""
    token = request.cookies.get(TOKEN_COOKIE)
    if token:
        return _mac(request, "session", token)
    return _mac(request, "sign-in", request.cookies.get(SIGN_IN_COOKIE, ""))


def check_csrf(request: Request, form: Mapping[str, Any], purpose: str = "session") -> None:
    """Refuses a POST from another origin, or without the token tied to this browser's cookie."""
    origin = request.headers.get("origin")
    if origin and urlparse(origin).netloc != request.headers.get("host"):
        raise CsrfRejected()
    cookie = request.cookies.get(TOKEN_COOKIE if purpose == "session" else SIGN_IN_COOKIE)
    sent = str(form.get("csrf", ""))
    if not cookie or not hmac.compare_digest(sent, _mac(request, purpose, cookie)):
        raise CsrfRejected()


def sign_in_nonce(request: Request) -> tuple[str, str]:
    """The pre-session nonce (kept, or new) and the CSRF token of the sign-in form."""
    nonce = request.cookies.get(SIGN_IN_COOKIE) or secrets.token_urlsafe(24)
    return nonce, _mac(request, "sign-in", nonce)


def set_cookie(request: Request, response: Response, name: str, value: str, age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max(age, 0),
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def sign_in(request: Request, response: Response, token: str) -> None:
    """Keeps the (already verified) token in the session cookie until it expires."""
    expires = jwt.decode(token, options={"verify_signature": False}).get("exp", 0)
    age = int(expires - datetime.now(UTC).timestamp())
    set_cookie(request, response, TOKEN_COOKIE, token, age)
    response.delete_cookie(SIGN_IN_COOKIE, path=COOKIE_PATH)


def sign_out(response: Response) -> None:
    response.delete_cookie(TOKEN_COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")


def principal(request: Request) -> Principal:
    """The signed-in caller, verified like a bearer token; SignInRequired otherwise."""
    token = request.cookies.get(TOKEN_COOKIE)
    if not token:
        raise SignInRequired()
    verifier: TokenVerifier = request.app.state.tokens
    try:
        return verifier.principal(token)
    except ApiProblem as e:
        raise SignInRequired("expired" if "expired" in e.detail else "invalid") from None


def demo_tokens(request: Request) -> list[tuple[str, str, str]]:
    """(label, role, token) for each demo role, only when the server was started in demo mode
    (`secondments serve --demo`) and signs its own tokens; what the store holds plays no part."""
    settings: Settings = request.app.state.settings
    if not settings.demo_sign_in or settings.jwt_public_key:
        return []
    return [
        (label, c["role"], mint_token(settings, {"sub": f"demo-{c['role']}", **c}, hours=12))
        for label, c in DEMO_ROLES
    ]


Renderer = Callable[[Request, int, str, str], Response]
Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class UiRoute(APIRoute):
    """A dashboard route: sign-in redirects, HTML error pages, security headers, no caching."""

    error_page: Renderer

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                response = await handler(request)
            except SignInRequired as e:
                query = request.url.query
                target = quote(request.url.path + (f"?{query}" if query else ""), safe="/")
                reason = f"&reason={e.reason}" if e.reason else ""
                response = RedirectResponse(f"/ui/sign-in?next={target}{reason}", 303)
            except CsrfRejected:
                detail = "Biểu mẫu đã hết hạn hoặc không gửi từ trang này. Hãy tải lại trang."
                response = UiRoute.error_page(request, 403, "Yêu cầu bị từ chối", detail)
            except (ApiProblem, DomainError, RequestValidationError) as e:
                response = _problem_page(request, e)
            except Exception as exc:
                request_id = getattr(request.state, "request_id", "-")
                log.error("dashboard error request_id=%s\n%s", request_id, redacted(exc))
                detail = f"Lỗi ngoài dự kiến. Mã yêu cầu để báo cho quản trị: {request_id}"
                response = UiRoute.error_page(request, 500, "Lỗi hệ thống", detail)
            response.headers.update(SECURITY_HEADERS)
            response.headers.setdefault("Cache-Control", "no-store")
            return response

        return guarded


def _problem_page(request: Request, e: Exception) -> Response:
    if isinstance(e, NotFound) or (isinstance(e, ApiProblem) and e.status == 404):
        detail = "Không tìm thấy hồ sơ, hoặc hồ sơ nằm ngoài phạm vi của bạn."
        return UiRoute.error_page(request, 404, "Không tìm thấy", detail)
    if isinstance(e, ApiProblem) and e.status == 403:
        detail = "Vai trò của bạn không được xem hoặc thực hiện nội dung này."
        return UiRoute.error_page(request, 403, "Không có quyền", detail)
    detail = "Yêu cầu không hợp lệ. Hãy kiểm tra lại địa chỉ hoặc bộ lọc."
    return UiRoute.error_page(request, 400, "Yêu cầu không hợp lệ", detail)
