"""`GET /metrics`: the Prometheus text format, for the admin role (or on a port of its own)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api import access, metrics
from api.deps import PrincipalDep
from api.routers.readside import get_read_store
from api.schemas.problems import problems

router = APIRouter(tags=["monitoring"], responses=problems((401, 403, 500, 503)))


@router.get("/metrics", response_class=Response)
def prometheus_metrics(request: Request, principal: PrincipalDep) -> Response:
    """Commands, HTTP requests, read models, timers, pools and idempotency (text format)."""
    access.require(principal, access.METRICS)
    state = request.app.state
    state.pools.sample(force=True)
    body = metrics.exposition(state.registry, get_read_store(request))
    return Response(body, media_type=metrics.MEDIA_TYPE)
