"""Bearer tokens: who the caller is (PyJWT: HS256 with a shared secret, or RS256 with a key)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt

from api.errors import unauthorized
from api.settings import Settings
from domain.units import ward_province
from domain.values import Actor, Role

SECRET_FILE = "jwt-secret"
LEEWAY_SECONDS = 30
MAX_TOKEN_BYTES = 8 * 1024
"""A longer token is refused before it is decoded (a forged 16 MB token cost seconds)."""
REQUIRED_SCOPE = {
    Role.COMMUNE: ("ward_code",),
    Role.AGENCY: ("home_agency", "province_code"),
    Role.OFFICIAL: ("personnel_id",),
    Role.HOME_AFFAIRS: ("province_code",),
}
"""The claims each role's scope needs: an agency name such as "Sở Nội vụ" repeats in every
province, so an agency token names its province too."""


@dataclass(frozen=True)
class Principal:
    """The caller, as the token says: subject, role and the scope claims of that role."""

    sub: str
    role: Role
    province_code: int | None = None
    ward_code: int | None = None
    home_agency: str | None = None
    personnel_id: str | None = None
    name: str | None = None
    """The display name the token gives (`name` claim), shown by the dashboard."""

    @property
    def actor(self) -> Actor:
        return Actor(self.sub, self.role)


def signing_secret(settings: Settings) -> str:
    """SECONDMENTS_JWT_SECRET, or a secret generated once and kept in the data directory (0600)."""
    if settings.jwt_secret:
        return settings.jwt_secret
    path = Path(settings.data_dir) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="ascii").strip()


def _public_key(setting: str) -> str:
    if setting.lstrip().startswith("-----BEGIN"):
        return setting
    return Path(setting).read_text(encoding="ascii")


def mint_token(settings: Settings, claims: dict[str, Any], hours: float = 12) -> str:
    """A signed HS256 token for local use (the CLI, the demo, the tests)."""
    if settings.jwt_public_key:
        raise RuntimeError("tokens are issued by the identity provider (RS256 is configured)")
    now = datetime.now(UTC)
    payload = {k: v for k, v in claims.items() if v is not None}
    payload.update(iat=now, exp=now + timedelta(hours=hours))
    if settings.jwt_issuer:
        payload["iss"] = settings.jwt_issuer
    return jwt.encode(payload, signing_secret(settings), algorithm="HS256")


class TokenVerifier:
    """Checks signature, expiry (and issuer) with the one configured algorithm; never `none`."""

    def __init__(self, settings: Settings) -> None:
        if settings.jwt_public_key:
            self.algorithm, self.key = "RS256", _public_key(settings.jwt_public_key)
        else:
            self.algorithm, self.key = "HS256", signing_secret(settings)
        self.issuer = settings.jwt_issuer
        self.max_lifetime = settings.jwt_max_lifetime_hours * 3600

    def principal(self, token: str) -> Principal:
        """The caller the token names; blocking (signature check): call it off the event loop."""
        if len(token) > MAX_TOKEN_BYTES:
            raise unauthorized(f"the token is longer than {MAX_TOKEN_BYTES} bytes")
        try:
            claims = jwt.decode(
                token,
                self.key,
                algorithms=[self.algorithm],
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise unauthorized("the token has expired") from None
        except jwt.InvalidTokenError:
            raise unauthorized("the token is not valid") from None
        self._check_lifetime(claims["exp"])
        return principal_from_claims(claims)

    def _check_lifetime(self, exp: Any) -> None:
        if not isinstance(exp, int) or isinstance(exp, bool):
            raise unauthorized("the token's exp claim must be an integer (seconds since 1970)")
        if exp - datetime.now(UTC).timestamp() > self.max_lifetime + LEEWAY_SECONDS:
            raise unauthorized("the token's exp is further away than the longest lifetime allowed")


def _optional(claims: dict[str, Any], name: str, kind: type) -> Any:
    value = claims.get(name)
    if value is None:
        return None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise unauthorized(f"the token's {name} claim is malformed")
    return value


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    try:
        role = Role(claims.get("role"))
    except ValueError:
        raise unauthorized("the token has no known role") from None
    if role is Role.SYSTEM:
        raise unauthorized("the system role cannot call the API")
    ward = _optional(claims, "ward_code", int)
    province = _optional(claims, "province_code", int)
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.strip():
        raise unauthorized("the token's sub claim must be a non-empty string")
    principal = Principal(
        sub=sub,
        role=role,
        province_code=province if province is not None or ward is None else ward_province(ward),
        ward_code=ward,
        home_agency=_optional(claims, "home_agency", str),
        personnel_id=_optional(claims, "personnel_id", str),
        name=_optional(claims, "name", str),
    )
    for needed in REQUIRED_SCOPE.get(role, ()):
        if getattr(principal, needed) is None:
            raise unauthorized(f"a {role.value} token needs the {needed} claim")
    return principal
