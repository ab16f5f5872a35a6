"""Dependencies of the route handlers, as `Annotated` aliases."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.auth import Principal
from api.commands import CommandContext
from api.errors import invalid, unauthorized
from api.idempotency import IdempotencyStore, fingerprint
from api.settings import Settings
from api.tokencache import VerifiedTokens
from domain.application import SecondmentRegistry

# The dependencies below do no I/O: they are coroutines so that FastAPI runs them on the event
# loop instead of handing each to the thread pool (a thread hop per dependency per request);
# the one blocking step, checking a token's signature, is handed to the thread pool.

bearer = HTTPBearer(
    auto_error=False,
    description="A JWT with `sub`, `role` and the role's scope claims (`secondments token`).",
)


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_registry(request: Request) -> SecondmentRegistry:
    registry: SecondmentRegistry = request.app.state.registry
    return registry


async def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None:
        raise unauthorized("send Authorization: Bearer <token>")
    tokens: VerifiedTokens = request.app.state.tokens
    token = credentials.credentials
    kept = tokens.kept_principal(token)  # a known token needs no hop to the thread pool
    if kept is not None:
        return kept
    return await run_in_threadpool(tokens.principal, token)


SettingsDep = Annotated[Settings, Depends(get_settings)]
RegistryDep = Annotated[SecondmentRegistry, Depends(get_registry)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]


IF_MATCH = re.compile(r'\s*(?:\*|(?:W/)?"?([0-9]{1,18})"?)\s*')
"""An expected version: `"3"`, `W/"3"` or `3`; `*` for any. Also stated in the OpenAPI document."""


def parse_if_match(value: str | None) -> int | None:
    """`"3"` (or W/"3", or 3) → 3; `*` or nothing → no expectation."""
    found = IF_MATCH.fullmatch(value) if value is not None else None
    if value is not None and found is None:
        raise invalid("If-Match", 'expected an ETag such as "3"', "if_match_format")
    return int(found.group(1)) if found and found.group(1) else None


async def _body(request: Request) -> bytes:
    """The body as sent; for a form FastAPI has already parsed, its fields and files in order
    (the stream is gone by then), which identifies the request as well."""
    form = getattr(request, "_form", None)
    if form is None:
        return await request.body()
    parts = []
    for name, value in form.multi_items():
        content = await value.read() if isinstance(value, UploadFile) else str(value).encode()
        if isinstance(value, UploadFile):
            await value.seek(0)
        parts.append(name.encode() + b"=" + content)
    return b"\x00".join(parts)


async def get_command(
    request: Request,
    principal: PrincipalDep,
    registry: RegistryDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=200,
            pattern=r"^[\x21-\x7e]+$",
            description="Repeat a request safely: same key and body replay the first response",
        ),
    ] = None,
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            max_length=40,
            description='Expected version, e.g. "3"',
            json_schema_extra={"pattern": f"^{IF_MATCH.pattern}$"},
        ),
    ] = None,
) -> CommandContext:
    body = await _body(request)
    replays: IdempotencyStore = request.app.state.idempotency
    return CommandContext(
        principal=principal,
        registry=registry,
        replays=replays,
        request_id=request.state.request_id,
        fingerprint=fingerprint(request.method, request.url.path, body),
        idempotency_key=idempotency_key,
        expected_version=parse_if_match(if_match),
    )


CommandDep = Annotated[CommandContext, Depends(get_command)]
