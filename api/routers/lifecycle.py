"""The lifecycle table, as data and as a Mermaid diagram."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query

from api import access
from api.deps import PrincipalDep
from api.schemas.problems import problems
from api.schemas.views import LifecycleOut
from domain import lifecycle

router = APIRouter(prefix="/v1/lifecycle", tags=["lifecycle"])
Kind = StrEnum("Kind", [(d.name, d.name) for d in access.DECLARED])  # type: ignore[misc]


@router.get("", response_model=LifecycleOut, responses=problems((401, 422, 500)))
def describe_lifecycle(
    _: PrincipalDep,
    of: Annotated[Kind, Query(description="Which kind of record (default: secondment)")] = Kind(
        lifecycle.SECONDMENT.name
    ),
) -> LifecycleOut:
    """States, transitions, guards and a Mermaid `stateDiagram-v2` of the kind of record `of`,
    read off its declaration; `roles`: for secondments (the first contract's document) every
    role's whole rights, for the other kinds what each role may do on that kind of record."""
    declared = access.declared(of.value)
    roles = (
        access.role_table() if declared is lifecycle.SECONDMENT else access.role_table_of(declared)
    )
    return LifecycleOut.model_validate({**declared.describe(), "roles": roles})
