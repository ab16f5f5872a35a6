"""Bearer tokens checked on every request (PyJWT, HS256 with the bench's secret, `exp` and
`sub` required), the caller's scope, and the problem+json answers of the peer's refusals."""

from functools import wraps

import jwt
from django.conf import settings
from django.http import JsonResponse

DECIDERS = ("home_affairs", "ministry")
REQUESTERS = ("commune", "agency", "home_affairs", "ministry")
DEPLOYERS = ("commune", "home_affairs", "ministry")
RAISERS = ("commune", "official", "home_affairs", "ministry")


class Refused(Exception):
    """Raised when a command or a read is refused: the status and the rules it broke."""

    def __init__(self, status: int, title: str, errors: list | None = None) -> None:
        super().__init__(title)
        self.status, self.title, self.errors = status, title, errors or []


def problem(status: int, title: str, errors: list | None = None) -> JsonResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": title}
    if errors:
        body["errors"] = [{"rule": r, "field": f, "message": m} for r, f, m in errors]
    return JsonResponse(body, status=status, content_type="application/problem+json")


def authenticated(view):
    """Verifies the bearer token, then calls `view(request, claims, ...)`; a refusal becomes
    its problem answer."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return problem(401, "a bearer token is needed")
        try:
            claims = jwt.decode(
                header[7:],
                settings.JWT_SECRET,
                algorithms=["HS256"],
                leeway=30,
                options={"require": ["exp", "sub"]},
            )
        except jwt.InvalidTokenError:
            return problem(401, "the token is not valid")
        try:
            return view(request, claims, *args, **kwargs)
        except Refused as refused:
            return problem(refused.status, refused.title, refused.errors)
        except (KeyError, TypeError) as missing:
            return problem(422, f"a field is missing or malformed: {missing}")

    return wrapped


def require_role(claims: dict, roles: tuple) -> None:
    if claims.get("role") not in roles:
        raise Refused(403, f"role {claims.get('role')!r} may not do this")


def visible(claims: dict, s) -> bool:
    """Whether the caller's scope covers the secondment (in its simplest form)."""
    role = claims.get("role")
    if role in ("ministry", "admin"):
        return True
    if role == "official":
        return claims.get("personnel_id") == s.personnel_id
    if role == "commune":
        return claims.get("ward_code") == s.ward_code
    if role == "agency":
        return claims.get("home_agency") == s.home_agency
    return claims.get("province_code") == s.province_code


def actor(claims: dict) -> str:
    return f"{claims['sub']} ({claims.get('role')})"
