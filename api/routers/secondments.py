"""Secondments: request one, read one (now or in the past), read its audit trail."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import AwareDatetime
from starlette.responses import Response

from api import access, presenters, reads
from api.commands import etag, json_response
from api.deps import CommandDep, PrincipalDep, RegistryDep
from api.pagination import BIGINT, Cursor, Limit
from api.schemas.commands import SecondmentCreate
from api.schemas.problems import CREATE, READ, problems
from api.schemas.views import EventPage, SecondmentRecorded, SecondmentView

router = APIRouter(prefix="/v1/secondments", tags=["secondments"])
Version = Annotated[int | None, Query(ge=1, le=BIGINT, description="The record at this version")]
OnDay = Annotated[
    date | None,
    Query(description="The record at the end of this business day (YYYY-MM-DD, Vietnam)"),
]
AsOf = Annotated[
    AwareDatetime | None,
    Query(description="The record as it stood at this RFC 3339 timestamp (with offset)"),
]


@router.post("", status_code=201, response_model=SecondmentRecorded, responses=problems(CREATE))
def request_secondment(
    body: SecondmentCreate, command: CommandDep, registry: RegistryDep
) -> Response:
    """Đề nghị biệt phái: records a request (state `requested`); 201 with `Location`."""
    host = body.host.to_domain()
    return command.request(
        host,
        body.home_agency,
        lambda meta: registry.request(
            meta,
            body.official.to_domain(),
            body.home_agency,
            host,
            body.kind,
            body.fields,
            body.planned(),
            body.reason,
            body.requested_on,
        ),
    )


@router.get("/{secondment_id}", response_model=SecondmentView, responses=problems(READ))
def read_secondment(
    secondment_id: UUID,
    principal: PrincipalDep,
    registry: RegistryDep,
    version: Version = None,
    as_of: AsOf = None,
    on: OnDay = None,
) -> Response:
    """One secondment: now (with the caller's `allowed_actions`), at `version`, `as_of` a
    moment, or `on` a business day (with `as_of`: that day as the registry knew it then)."""
    of_the_past = version is not None or as_of is not None or on is not None
    checked = reads.visible(registry, principal, secondment_id, first=of_the_past)
    shown = reads.past(registry, checked, version, as_of, on) or checked
    view = presenters.secondment(shown, principal, current=not of_the_past)
    return json_response(view, 200, etag(shown.version))


@router.get("/{secondment_id}/events", response_model=EventPage, responses=problems(READ))
def secondment_events(
    secondment_id: UUID,
    principal: PrincipalDep,
    registry: RegistryDep,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """The secondment's audit trail, oldest first: who did what, when, from which state."""
    s = reads.visible(registry, principal, secondment_id, first=True)
    return json_response(
        reads.events_page(registry, s, cursor, limit, access.sees_sensitive(principal))
    )
