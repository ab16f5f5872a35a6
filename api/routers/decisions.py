"""Decisions: one legal act approving many requested secondments, all or none."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from api.deps import CommandDep, RegistryDep
from api.schemas.commands import DecisionCreate
from api.schemas.problems import COMMAND, problems
from api.schemas.views import DecisionRecorded

router = APIRouter(prefix="/v1/decisions", tags=["decisions"])


@router.post("", response_model=DecisionRecorded, responses=problems(COMMAND))
def approve_by_decision(
    body: DecisionCreate, command: CommandDep, registry: RegistryDep
) -> Response:
    """Quyết định phê duyệt: approves every listed secondment, or none (422 lists each failure).
    `overrides` maps a secondment id to the reason for approving an official who is not eligible."""
    return command.decide(
        body.secondment_ids,
        lambda meta: registry.approve_many(
            meta,
            body.secondment_ids,
            body.decision.to_domain(),
            body.term(),
            body.consulted_on,
            body.overrides,
        ),
    )
