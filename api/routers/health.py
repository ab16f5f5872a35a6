"""Liveness and readiness, without a token."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.errors import unavailable
from api.schemas.problems import problems
from api.schemas.views import Health
from api.storage import Database

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses=problems((503,)))
def readyz(request: Request) -> Response | Health:
    """The database answers; 503 otherwise."""
    database: Database = request.app.state.database
    return Health(status="ready") if database.ping() else unavailable("the database is unreachable")
