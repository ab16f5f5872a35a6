"""Plans: targets per commune and field, nominations, the matching, assignments by hand, and
the one decision that creates the assigned secondments (contract: "Plans")."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from starlette.responses import Response

from api.access import _same  # one comparison of agency names
from api.auth import Principal
from api.commands import CommandContext
from api.deps import CommandDep, RegistryDep
from api.errors import forbidden
from api.plan_access import owns, plan_not_found, require_owner, sees
from api.schemas.plans import (
    AssignmentsBody,
    CancelBody,
    NominationCreate,
    PlanCreate,
    PlanDecisionBody,
    PlanRecorded,
    StepBody,
    TargetsBody,
)
from api.schemas.problems import COMMAND, CREATE, problems
from domain.commanding import Done
from domain.errors import NotFound
from domain.plan import Plan
from domain.plan_lifecycle import CREATE as CREATE_PLAN
from domain.plan_lifecycle import PLAN
from domain.plans import Plans
from domain.values import CommandMeta, Role
from projections.plan_fold import derived, detail_of

router = APIRouter(prefix="/v1/plans", tags=["plans"])
PlanCommand = Callable[[CommandMeta, int | None], Done[Plan]]


async def get_plans(registry: RegistryDep) -> Plans:
    return Plans(registry)


PlansDep = Annotated[Plans, Depends(get_plans)]


def presenter(principal: Principal) -> Callable[[Done[Plan]], PlanRecorded]:
    def present(done: Done[Plan]) -> PlanRecorded:
        plan = done.record
        allowed = PLAN.allowed_for(principal.role, plan.state)
        nominated = done.event_type == "Nominated"
        return PlanRecorded(
            **derived(detail_of(plan)),
            position=done.position,
            allowed_actions=allowed,
            nomination_id=str(plan.candidates[-1].nomination_id) if nominated else None,
        )

    return present


def _on(plans: Plans, command: CommandContext, plan_id: UUID) -> Callable[..., Response]:
    """A command on a plan the caller may see and change (404 outside its scope)."""
    principal = command.principal

    def visible() -> None:
        try:
            plan = plans.get(plan_id)
        except NotFound:
            raise plan_not_found() from None
        if not sees(principal, plan):
            raise plan_not_found()
        require_owner(principal, plan)

    def run(action: str, given: PlanCommand, status: int = 200) -> Response:
        return command.on_declared(PLAN, action, visible, given, presenter(principal), status)

    return run


@router.post("", status_code=201, response_model=PlanRecorded, responses=problems(CREATE))
def draft(body: PlanCreate, command: CommandDep, plans: PlansDep) -> Response:
    """Lập kế hoạch: home affairs of its province, or the Ministry (any province)."""
    new = body.to_domain()
    if not owns(command.principal, new.province_code, {t.province_code for t in new.targets}):
        raise forbidden("a plan of another province")
    return command.create_declared(
        PLAN,
        CREATE_PLAN,
        lambda meta: plans.draft(meta, new),
        presenter(command.principal),
        lambda done: f"/v1/plans/{done.record.id}",
    )


@router.put("/{plan_id}/targets", response_model=PlanRecorded, responses=problems(COMMAND))
def amend_targets(
    plan_id: UUID, body: TargetsBody, command: CommandDep, plans: PlansDep
) -> Response:
    """Sửa chỉ tiêu, while drafting (replaces the targets)."""
    province = plans.get(plan_id).province_code if plans.commands.exists(plan_id) else None
    targets = tuple(t.to_domain(province) for t in body.targets)
    amend = partial(plans.amend_targets, plan_id, targets=targets)
    return _on(plans, command, plan_id)("amend_targets", amend)


@router.post("/{plan_id}/open", response_model=PlanRecorded, responses=problems(COMMAND))
def open_nominations(
    plan_id: UUID, body: StepBody, command: CommandDep, plans: PlansDep
) -> Response:
    """Mở đề cử: agencies may now nominate their officials."""
    step = partial(plans.step, plan_id, take=Plan.open_nominations, day=body.effective_on)
    return _on(plans, command, plan_id)("open_nominations", step)


@router.post(
    "/{plan_id}/nominations",
    status_code=201,
    response_model=PlanRecorded,
    responses=problems(COMMAND),
)
def nominate(
    plan_id: UUID, body: NominationCreate, command: CommandDep, plans: PlansDep
) -> Response:
    """Đề cử: an agency proposes one of its officials (home affairs may too); eligibility is
    evaluated and shown with the nominee (`nomination_id`), not refused."""
    p = command.principal
    if p.role is Role.AGENCY and not _same(p.home_agency or "", body.home_agency):
        raise forbidden("an agency nominates its own officials")
    official = body.official.to_domain()
    nominate = partial(
        plans.nominate,
        plan_id,
        official=official,
        home_agency=body.home_agency,
        fields=body.fields,
    )
    return _on(plans, command, plan_id)("nominate", nominate, status=201)


@router.post("/{plan_id}/matching", response_model=PlanRecorded, responses=problems(COMMAND))
def match(plan_id: UUID, body: StepBody, command: CommandDep, plans: PlansDep) -> Response:
    """Ghép tự động: the seats given to maximise covered seats, then field fit, preferring
    eligible nominees and leaders; one seat per official. Lists `assignments` and `uncovered`."""
    step = partial(plans.step, plan_id, take=Plan.match, day=body.effective_on)
    return _on(plans, command, plan_id)("match", step)


@router.put("/{plan_id}/assignments", response_model=PlanRecorded, responses=problems(COMMAND))
def assign(plan_id: UUID, body: AssignmentsBody, command: CommandDep, plans: PlansDep) -> Response:
    """Phân công thủ công: replaces the seats given, under the matching's rules (422 names each
    `assignments[i]` and its rule)."""
    given = partial(plans.assign, plan_id, assignments=body.to_domain())
    return _on(plans, command, plan_id)("assign", given)


@router.post("/{plan_id}/decision", response_model=PlanRecorded, responses=problems(COMMAND))
def decide(plan_id: UUID, body: PlanDecisionBody, command: CommandDep, plans: PlansDep) -> Response:
    """Ra quyết định: creates each assigned secondment, requested and approved under the
    decision and linked to the plan, with the plan's decision, all or none."""
    decision = partial(plans.decide, plan_id, given=body.to_domain())
    return _on(plans, command, plan_id)("decide", decision)


@router.post("/{plan_id}/cancel", response_model=PlanRecorded, responses=problems(COMMAND))
def cancel(plan_id: UUID, body: CancelBody, command: CommandDep, plans: PlansDep) -> Response:
    """Hủy kế hoạch."""
    cancelling = partial(plans.cancel, plan_id, reason=body.reason)
    return _on(plans, command, plan_id)("cancel", cancelling)
