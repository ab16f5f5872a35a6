"""The lifecycle table, as data and as a Mermaid diagram."""

from __future__ import annotations

from fastapi import APIRouter

from api import access
from api.deps import PrincipalDep
from api.schemas.problems import problems
from api.schemas.views import LifecycleOut
from domain import lifecycle

router = APIRouter(prefix="/v1/lifecycle", tags=["lifecycle"])


@router.get("", response_model=LifecycleOut, responses=problems((401, 500)))
def describe_lifecycle(_: PrincipalDep) -> LifecycleOut:
    """States, transitions, guards, a Mermaid `stateDiagram-v2`, and the actions of each role."""
    described = access.declared(lifecycle.SECONDMENT.name).describe()
    return LifecycleOut.model_validate({**described, "roles": access.role_table()})
