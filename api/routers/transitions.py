"""Lifecycle commands on one secondment: approve, reject, withdraw, deploy, extend, handover, end,
recall. Each accepts `If-Match` and `Idempotency-Key` and answers with the record after it."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from starlette.responses import Response

from api import access
from api.deps import CommandDep, RegistryDep
from api.schemas.commands import (
    ApproveBody,
    CorrectionBody,
    DeployBody,
    EndBody,
    ExtendBody,
    HandoverBody,
    ReasonBody,
    RecallBody,
    ReturnBody,
)
from api.schemas.problems import COMMAND, problems
from api.schemas.views import SecondmentRecorded
from domain.application import Recorded
from domain.values import CommandMeta

router = APIRouter(
    prefix="/v1/secondments/{secondment_id}",
    tags=["lifecycle commands"],
    responses=problems(COMMAND),
)


@router.post("/approve", response_model=SecondmentRecorded)
def approve(
    secondment_id: UUID, body: ApproveBody, command: CommandDep, registry: RegistryDep
) -> Response:
    """Phê duyệt: requested → approved, under a decision; ineligible needs `override_reason`;
    a maternity-protected official is refused (`maternity_protection`, no override)."""
    return command.on(
        secondment_id,
        "approve",
        lambda meta, version: registry.approve(
            secondment_id,
            meta,
            body.decision.to_domain(),
            body.term(),
            body.override_reason,
            version,
            body.consulted_on,
        ),
    )


@router.post("/reject", response_model=SecondmentRecorded)
def reject(
    secondment_id: UUID, body: ReasonBody, command: CommandDep, registry: RegistryDep
) -> Response:
    """Từ chối: requested → rejected."""
    return command.on(
        secondment_id,
        "reject",
        lambda meta, version: registry.reject(
            secondment_id, meta, body.reason, version, body.effective_on
        ),
    )


@router.post("/withdraw", response_model=SecondmentRecorded)
def withdraw(
    secondment_id: UUID, body: ReasonBody, command: CommandDep, registry: RegistryDep
) -> Response:
    """Rút đề nghị: requested or approved → withdrawn."""
    return command.on(
        secondment_id,
        "withdraw",
        lambda meta, version: registry.withdraw(
            secondment_id, meta, body.reason, version, body.effective_on
        ),
    )


@router.post("/deploy", response_model=SecondmentRecorded)
def deploy(
    secondment_id: UUID, body: DeployBody, command: CommandDep, registry: RegistryDep
) -> Response:
    """Xác nhận đến nhận nhiệm vụ: approved → deployed."""
    return command.on(
        secondment_id,
        "deploy",
        lambda meta, version: registry.deploy(secondment_id, meta, body.arrived_on, version),
    )


@router.post("/extend", response_model=SecondmentRecorded)
def extend(
    secondment_id: UUID, body: ExtendBody, command: CommandDep, registry: RegistryDep
) -> Response:
    """Gia hạn: moves the end of the term by a new decision (state unchanged)."""
    return command.on(
        secondment_id,
        "extend",
        lambda meta, version: registry.extend(
            secondment_id, meta, body.new_end, body.decision.to_domain(), version
        ),
    )


@router.post("/handover", response_model=SecondmentRecorded)
def handover(
    secondment_id: UUID, body: HandoverBody, command: CommandDep, registry: RegistryDep
) -> Response:
    """Bàn giao: reporting → handover."""
    return command.on(
        secondment_id,
        "handover",
        lambda meta, version: registry.start_handover(
            secondment_id, meta, body.planned_on, body.recipients, body.items, version
        ),
    )


@router.post("/end", response_model=SecondmentRecorded)
def end(secondment_id: UUID, body: EndBody, command: CommandDep, registry: RegistryDep) -> Response:
    """Kết thúc: handover → ended (completed), with the host's evaluation."""
    return command.on(
        secondment_id,
        "end",
        lambda meta, version: registry.end(
            secondment_id, meta, body.ended_on, body.host_evaluation.to_domain(), version
        ),
    )


@router.post("/recall", response_model=SecondmentRecorded)
def recall(
    secondment_id: UUID, body: RecallBody, command: CommandDep, registry: RegistryDep
) -> Response:
    """Rút về trước hạn: deployed, reporting or handover → ended (recalled)."""
    return command.on(
        secondment_id,
        "recall",
        lambda meta, version: registry.recall(
            secondment_id, meta, body.ended_on, body.reason, body.initiated_by, version
        ),
    )


@router.post("/corrections", response_model=SecondmentRecorded)
def correct(
    secondment_id: UUID, body: CorrectionBody, command: CommandDep, registry: RegistryDep
) -> Response:
    """Đính chính: corrects data of the fact at `version` (rules of its command re-checked)."""

    def run(meta: CommandMeta, version: int | None) -> Recorded:
        fact = registry.fact_at(secondment_id, body.version)
        access.require_correction(command.principal, type(fact).__name__)
        return registry.correct(
            secondment_id, meta, body.version, body.changes, body.reason, version
        )

    return command.on(secondment_id, access.CORRECT, run)


@router.post("/return", response_model=SecondmentRecorded)
def record_return(
    secondment_id: UUID, body: ReturnBody, command: CommandDep, registry: RegistryDep
) -> Response:
    """Tiếp nhận trở lại: on an ended secondment, the post the official got back."""
    return command.on(
        secondment_id,
        "return",
        lambda meta, version: registry.record_return(
            secondment_id, meta, body.returned_on, body.post, version
        ),
    )
