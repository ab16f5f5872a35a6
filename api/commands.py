"""Carrying out a command for a caller: permission, scope, If-Match, Idempotency-Key, response.

Route handlers hand over the domain call; everything the HTTP contract says around it is here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pydantic import BaseModel
from starlette.responses import Response

from api import access, metrics, presenters
from api.auth import Principal
from api.errors import ApiProblem, forbidden, invalid, secondment_not_found
from api.idempotency import PENDING, IdempotencyStore, StoredResponse, command_id
from domain.application import Recorded, RecordedNeeds, SecondmentRegistry
from domain.commanding import Done
from domain.declaration import Lifecycle
from domain.errors import RuleViolation, SecondmentNotFound
from domain.secondment import Secondment
from domain.units import ward_province
from domain.values import CommandMeta, Host, Violation

Command = Callable[[CommandMeta, int | None], Recorded]
Present = Callable[[Recorded, Principal], BaseModel]
WAIT_FOR_FIRST = 10.0
"""Seconds a repeat waits for the first request under its key to finish."""


def json_response(
    model: BaseModel, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(model.model_dump_json(), status, headers, media_type="application/json")


def in_progress() -> ApiProblem:
    detail = "the first request under this Idempotency-Key is still running; retry later"
    return ApiProblem(409, "request-in-progress", "Conflict", detail, {"Retry-After": "1"})


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


@dataclass(frozen=True)
class CommandContext:
    """One state-changing request: who sends it, under which key, expecting which version."""

    principal: Principal
    registry: SecondmentRegistry
    replays: IdempotencyStore
    request_id: str
    fingerprint: str
    idempotency_key: str | None
    expected_version: int | None

    @property
    def meta(self) -> CommandMeta:
        key = self.idempotency_key
        command = command_id(self.subject, key) if key else uuid.uuid4().hex
        return CommandMeta(self.principal.actor, command, self.request_id)

    @property
    def subject(self) -> str:
        """The token subject's pseudonym, under which its idempotent requests are kept."""
        return self.registry.keyring.pseudonym(f"token-subject:{self.principal.sub}")

    def on(
        self,
        secondment_id: UUID,
        action: str,
        command: Command,
        present: Present = presenters.recorded_view,
    ) -> Response:
        """Runs a lifecycle command on one secondment the caller may see."""
        access.require(self.principal, action)

        def act() -> Response:
            with self.registry.holding(self._visible(secondment_id)):
                r = command(self.meta, self.expected_version)
            return json_response(present(r, self.principal), 200, etag(r.version))

        return self._once(action, act)

    def request(
        self, host: Host, home_agency: str, command: Callable[[CommandMeta], Recorded]
    ) -> Response:
        """Creates a secondment; 201 with its Location."""
        access.require(self.principal, access.REQUEST)
        if not access.may_request(self.principal, host, home_agency):
            raise forbidden("this host or home agency is outside the token's scope")

        def act() -> Response:
            r = command(self.meta)
            headers = {**etag(r.version), "Location": f"/v1/secondments/{r.secondment.id}"}
            return json_response(presenters.recorded_view(r, self.principal), 201, headers)

        return self._once(access.REQUEST, act)

    def decide(
        self, secondment_ids: Sequence[UUID], command: Callable[[CommandMeta], list[Recorded]]
    ) -> Response:
        """Approves many secondments by one decision; unknown and out-of-scope ones are 422."""
        access.require(self.principal, access.DECIDE)

        def act() -> Response:
            seen = [self._seen(s) for s in secondment_ids]
            hidden = [
                Violation("secondment_exists", f"secondment_ids[{i}]", "no such secondment")
                for i, s in enumerate(seen)
                if s is None
            ]
            if hidden:
                raise RuleViolation(hidden)
            with ExitStack() as held:
                for s in seen:
                    if s is not None:
                        held.enter_context(self.registry.holding(s))
                recorded = command(self.meta)
            return json_response(presenters.decision(recorded, self.principal))

        return self._once(access.DECIDE, act)

    def declare(
        self,
        ward_code: int,
        command: Callable[[CommandMeta, Host], RecordedNeeds],
        actions: tuple[str, ...] = (access.DECLARE_NEEDS,),
    ) -> Response:
        """Declares a commune's needs or areas (`actions` the caller needs); the province is
        the ward's own."""
        for action in actions:
            access.require(self.principal, action)
        province = ward_province(ward_code)
        if province is None:
            raise invalid("ward_code", "unknown commune or ward code", "ward_exists")
        host = Host(province, ward_code)
        if not access.may_declare_needs(self.principal, host):
            raise forbidden("this commune is outside the token's scope")

        def act() -> Response:
            r = command(self.meta, host)
            return json_response(presenters.needs(r), 200, etag(r.needs.version))

        return self._once(access.DECLARE_NEEDS, act)

    def create_declared(
        self,
        declared: Lifecycle,
        action: str,
        command: Callable[[CommandMeta], Done[Any]],
        present: Callable[[Done[Any]], BaseModel],
        location: Callable[[Done[Any]], str],
    ) -> Response:
        """Creates a record of any declared aggregate (plans, study visits, working groups);
        the caller has checked its scope. 201 with its Location."""
        access.require_declared(self.principal, declared, action)

        def act() -> Response:
            done = command(self.meta)
            headers = {**etag(done.version), "Location": location(done)}
            return json_response(present(done), 201, headers)

        return self._once(f"{declared.name}.{action}", act)

    def on_declared(
        self,
        declared: Lifecycle,
        action: str,
        visible: Callable[[], Any],
        command: Callable[[CommandMeta, int | None], Done[Any]],
        present: Callable[[Done[Any]], BaseModel],
        status: int = 200,
    ) -> Response:
        """Runs a command on one record of a declared aggregate: the role must be granted the
        action by the declaration, `visible()` raises 404 when the caller may not see the
        record; If-Match and Idempotency-Key as for secondments."""
        access.require_declared(self.principal, declared, action)

        def act() -> Response:
            visible()
            done = command(self.meta, self.expected_version)
            return json_response(present(done), status, etag(done.version))

        return self._once(f"{declared.name}.{action}", act)

    def once(self, action: str, produce: Callable[[], Response]) -> Response:
        """Any other command (`action` names it in the metrics): answered once per
        Idempotency-Key."""
        return self._once(action, produce)

    def _seen(self, secondment_id: UUID) -> Secondment | None:
        """The record if the caller may see it (the command that follows starts from it)."""
        try:
            s = self.registry.get(secondment_id)
        except SecondmentNotFound:
            return None
        return s if access.can_read(self.principal, s) else None

    def _visible(self, secondment_id: UUID) -> Secondment:
        s = self._seen(secondment_id)
        if s is None:
            raise secondment_not_found()
        return s

    def _scoped(self, produce: Callable[[], Response]) -> Response:
        """Runs the command; a refusal names another record only if the caller may read it."""
        try:
            return produce()
        except RuleViolation as e:
            if all(v.about is None or self._seen(v.about) for v in e.violations):
                raise
            raise RuleViolation([self._unnamed(v) for v in e.violations]) from None

    def _unnamed(self, v: Violation) -> Violation:
        if v.about is None or self._seen(v.about):
            return v
        return Violation(v.rule, v.field, f"refused by the rule {v.rule}")

    def _replayed(self, stored: StoredResponse) -> Response:
        """The stored first response, or 422 when it answered a different request."""
        if stored.fingerprint != self.fingerprint:
            metrics.IDEMPOTENCY.labels("refused").inc()
            message = "this key was already used for a different request"
            raise invalid("Idempotency-Key", message, "idempotency_key_reused")
        metrics.IDEMPOTENCY.labels("replayed").inc()
        return stored.response()

    def _once(self, action: str, produce: Callable[[], Response]) -> Response:
        key, sub = self.idempotency_key, self.subject
        if key is None:
            return metrics.timed_command(action, lambda: self._scoped(produce))
        legacy = self.replays.find(self.principal.sub, key)
        if legacy is not None and legacy.status != PENDING:  # stored before pseudonyms
            return self._replayed(legacy)
        while not self.replays.reserve(sub, key, self.fingerprint):
            stored = self.replays.wait(sub, key, self.fingerprint, WAIT_FOR_FIRST)
            if stored is None:
                continue
            if stored.status == PENDING and stored.fingerprint == self.fingerprint:
                raise in_progress()
            return self._replayed(stored)
        try:
            response = metrics.timed_command(action, lambda: self._scoped(produce))
        except BaseException:
            self.replays.release(sub, key)
            raise
        if 200 <= response.status_code < 300:
            self.replays.remember(sub, key, response)
        else:
            self.replays.release(sub, key)
        return response
