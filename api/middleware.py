"""ASGI middleware: request ids and logging (and the 500 of last resort), the body limit, and
control characters in query parameters."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import errors, metrics
from api.logs import redacted
from api.schemas.problems import ProblemField
from api.schemas.types import ANY_CONTROL

log = logging.getLogger("secondments.http")
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def _language(scope: Scope) -> str:
    return _header(scope, b"accept-language") or ""


def route_of(scope: Scope) -> str:
    """The matched route's template (a bounded label), or `unmatched`."""
    route = scope.get("route")
    return str(getattr(route, "path", None) or "unmatched")


class RequestContext:
    """Takes X-Request-ID (or makes one), returns it, logs and counts each request without its
    contents."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = _header(scope, b"x-request-id")
        request_id = given if given and REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started, status = time.perf_counter(), [500]

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            log.error("unhandled error request_id=%s\n%s", request_id, redacted(exc))
            refused = errors.localise(errors.internal_error(request_id), _language(scope))
            await refused(scope, receive, send_with_id)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            metrics.REQUESTS.labels(scope["method"], route_of(scope), status[0]).inc()
            pools: metrics.PoolSampler | None = getattr(scope["app"].state, "pools", None)
            if pools is not None:
                pools.sample()
            log.info(
                "%s %s %s %.1fms request_id=%s",
                scope["method"],
                scope["path"],
                status[0],
                elapsed,
                request_id,
            )


class HeaderLimit:
    """Answers at once, before anything reads or decodes them: headers over `max_bytes` in all
    with 431, a bearer token over `max_token_bytes` with 401."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_token_bytes: int) -> None:
        self.app = app
        self.max_bytes, self.max_token_bytes = max_bytes, max_token_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = scope.get("headers", [])
            if sum(len(k) + len(v) for k, v in headers) > self.max_bytes:
                await errors.headers_too_large(self.max_bytes)(scope, receive, send)
                return
            sent = _header(scope, b"authorization") or ""
            if len(sent.removeprefix("Bearer ").strip()) > self.max_token_bytes:
                await errors.token_too_large(self.max_token_bytes)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BodyLimit:
    """Refuses bodies over the limit with 413, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await errors.localise(errors.too_large(self.max_bytes), _language(scope))(
                scope, receive, send
            )
            return
        seen = [0]

        async def counted() -> Message:
            message: dict[str, Any] = dict(await receive())
            seen[0] += len(message.get("body", b""))
            if seen[0] > self.max_bytes:
                raise HTTPException(413, f"the body exceeds {self.max_bytes} bytes")
            return message

        await self.app(scope, counted, send)


class PlainQuery:
    """Refuses control characters in query parameters with 422, before any filter (or SQL, where
    PostgreSQL cannot take a NUL) sees them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = scope.get("query_string", b"") if scope["type"] == "http" else b""
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if ANY_CONTROL.search(name) or ANY_CONTROL.search(value):
                message = "control characters are not allowed"
                error = ProblemField(field=name, message=message, rule="no_control_characters")
                refused = errors.problem(
                    422, "invalid", "Unprocessable Content", message, errors=[error]
                )
                await errors.localise(refused, _language(scope))(scope, receive, send)
                return
        await self.app(scope, receive, send)
