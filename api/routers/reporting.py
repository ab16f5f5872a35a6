"""From the post: the official's reports, and difficulties raised, escalated and resolved."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path
from starlette.responses import Response

from api import presenters
from api.deps import CommandDep, RegistryDep
from api.schemas.commands import DifficultyBody, EscalateBody, ReportBody, ResolveBody
from api.schemas.problems import COMMAND, problems
from api.schemas.views import DifficultyRecorded, SecondmentRecorded

router = APIRouter(
    prefix="/v1/secondments/{secondment_id}",
    tags=["reports and difficulties"],
    responses=problems(COMMAND),
)
Number = Annotated[int, Path(ge=1, le=100_000, description="The difficulty's number")]


@router.post("/reports", response_model=SecondmentRecorded)
def submit_report(
    secondment_id: UUID, body: ReportBody, command: CommandDep, registry: RegistryDep
) -> Response:
    """Báo cáo (weekly plan or progress), by the seconded official only: → reporting."""
    return command.on(
        secondment_id,
        "report",
        lambda meta, version: registry.submit_report(
            secondment_id,
            meta,
            body.kind,
            body.period(),
            body.summary,
            body.procedures_handled,
            body.staff_coached,
            body.field_visits,
            version,
            body.submitted_on,
        ),
    )


@router.post("/difficulties", response_model=DifficultyRecorded)
def raise_difficulty(
    secondment_id: UUID, body: DifficultyBody, command: CommandDep, registry: RegistryDep
) -> Response:
    """Phản ánh khó khăn, vướng mắc; the answer carries the difficulty's `number`."""
    return command.on(
        secondment_id,
        "raise_difficulty",
        lambda meta, version: registry.raise_difficulty(
            secondment_id, meta, body.title, body.detail, body.field, version, body.effective_on
        ),
        presenters.difficulty_raised,
    )


@router.post("/difficulties/{number}/escalate", response_model=SecondmentRecorded)
def escalate_difficulty(
    secondment_id: UUID,
    number: Number,
    body: EscalateBody,
    command: CommandDep,
    registry: RegistryDep,
) -> Response:
    """Báo cáo lên cấp trên: to the province, then the ministry."""
    return command.on(
        secondment_id,
        "escalate_difficulty",
        lambda meta, version: registry.escalate_difficulty(
            secondment_id, meta, number, body.to, body.note, version, body.effective_on
        ),
    )


@router.post("/difficulties/{number}/resolve", response_model=SecondmentRecorded)
def resolve_difficulty(
    secondment_id: UUID,
    number: Number,
    body: ResolveBody,
    command: CommandDep,
    registry: RegistryDep,
) -> Response:
    """Ghi nhận đã tháo gỡ."""
    return command.on(
        secondment_id,
        "resolve_difficulty",
        lambda meta, version: registry.resolve_difficulty(
            secondment_id, meta, number, body.resolution, version, body.effective_on
        ),
    )
