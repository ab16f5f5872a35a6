"""Read-model operations: where each stands, and rebuilds without downtime."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import JSONResponse

from api import access
from api.deps import PrincipalDep
from api.errors import ApiProblem
from api.routers.readside import get_read_store
from api.schemas.problems import COMMAND, READ, problems
from domain.values import Role
from projections.catalog import BY_NAME, ReadModels, head

log = logging.getLogger("secondments.projections")
router = APIRouter(prefix="/v1/projections", tags=["projections"], responses=problems(READ))


@router.get("")
def projections_status(request: Request, principal: PrincipalDep) -> dict[str, Any]:
    """Each read model: position, events behind, last update, live or rebuilding."""
    if principal.role is not Role.MINISTRY:
        access.require(principal, access.PROJECTIONS)
    at_head = head(request.app.state.registry)
    found = ReadModels(get_read_store(request)).status(at_head)
    return {"head": at_head, "items": [asdict(s) for s in found]}


class RebuildRequest(BaseModel):
    """Why the read model is rebuilt (logged); the body may be omitted."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "new column in the view"}]}
    )
    reason: str | None = Field(default=None, max_length=500)


@router.post("/{name}/rebuild", status_code=202, responses=problems(COMMAND))
def rebuild(
    name: str,
    request: Request,
    principal: PrincipalDep,
    body: Annotated[RebuildRequest, Body()] = RebuildRequest(),
) -> JSONResponse:
    """Starts a blue/green rebuild; reads switch to the new tables once they have caught up."""
    access.require(principal, access.PROJECTIONS)
    if name not in BY_NAME:
        raise ApiProblem(404, "not-found", "Not Found", f"no read model {name}")
    version = ReadModels(get_read_store(request)).request_rebuild(name)
    log.info("rebuild of %s v%d requested by %s: %s", name, version, principal.sub, body.reason)
    started = {"name": name, "version": version, "state": "rebuilding"}
    return JSONResponse(started, status_code=202, headers={"Location": "/v1/projections"})
