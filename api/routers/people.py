"""People and their personal data (Law 91/2025/QH15): what the registry holds about one
official (subject access), and the erasure of it."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.responses import Response

from api import access, presenters, spreadsheet
from api.auth import Principal
from api.commands import json_response
from api.deps import CommandDep, PrincipalDep, RegistryDep
from api.errors import forbidden
from api.plan_access import may_erase_nominee
from api.schemas.commands import ErasureRequest
from api.schemas.problems import COMMAND, READ, problems
from api.schemas.types import PersonnelId
from api.schemas.views import EventItem, SecondmentView
from domain import people
from domain.application import SecondmentRegistry
from domain.personal import normalised
from domain.plans import Plans
from domain.secondment import Secondment
from domain.values import Role

router = APIRouter(prefix="/v1/people", tags=["people"])
PAGE = 500
EXPORT_COLUMNS = (
    "secondment_id",
    "version",
    "type",
    "recorded_at",
    "effective_on",
    "actor",
    "from_state",
    "to_state",
    "data",
)


class ErasureDone(BaseModel):
    secondment_ids: list[str]
    keys_destroyed: int
    position: int | None
    already_erased: bool


class HeldSecondment(BaseModel):
    secondment: SecondmentView
    events: list[EventItem]


class PersonData(BaseModel):
    personnel_id: str
    secondments: list[HeldSecondment]


def _in_scope(principal: Principal, found: list[Secondment], every: bool) -> bool:
    """Ministry: always; home affairs: a province of theirs (`every`: each one) holds them."""
    if principal.role is Role.MINISTRY:
        return True
    mine = [s.host.province_code == principal.province_code for s in found]
    return bool(found) and (all(mine) if every else any(mine))


@router.get("/{personnel_id}", responses=problems(READ))
def subject_access(
    personnel_id: PersonnelId, request: Request, principal: PrincipalDep, registry: RegistryDep
) -> Response:
    """Everything the registry holds about one official: each secondment with every event's
    data (JSON, or .xlsx by Accept). Ministry, home affairs of a province where they have a
    secondment, and the official themself; the maternity declaration only to deciding roles
    and never in the spreadsheet."""
    themself = principal.role is Role.OFFICIAL and normalised(
        principal.personnel_id or ""
    ) == normalised(personnel_id)
    if not themself and principal.role not in (Role.MINISTRY, Role.HOME_AFFAIRS):
        raise forbidden("this role may not read a person's data")
    found = people.secondments_of(registry, personnel_id)
    if not found or not (themself or _in_scope(principal, found, every=False)):
        raise people.PersonNotFound()
    export = spreadsheet.wants_xlsx(request)
    sensitive = access.sees_sensitive(principal) and not export  # never in exports
    held = PersonData(
        personnel_id=personnel_id,
        secondments=[_held(registry, s, principal, sensitive) for s in found],
    )
    if export:
        rows = [_row(h.secondment.id, e) for h in held.secondments for e in h.events]
        return spreadsheet.xlsx_response("du-lieu-ca-nhan", EXPORT_COLUMNS, rows, "Dữ liệu")
    return json_response(held)


def _held(
    registry: SecondmentRegistry, s: Secondment, principal: Principal, sensitive: bool
) -> HeldSecondment:
    events: list[Any] = []
    while True:
        page = registry.history(s.id, after_version=len(events), limit=PAGE)
        events += page
        if len(page) < PAGE:
            break
    return HeldSecondment(
        secondment=presenters.secondment(s, principal),
        events=[presenters.event(e, sensitive) for e in events],
    )


def _row(secondment_id: Any, e: EventItem) -> list[Any]:
    data = json.dumps(e.model_dump(mode="json")["data"], ensure_ascii=False, sort_keys=True)
    actor = f"{e.actor.role}:{e.actor.sub}"
    when = [e.recorded_at, e.effective_on]
    return [str(secondment_id), e.version, e.type, *when, actor, e.from_state, e.to_state, data]


@router.post("/{personnel_id}/erasure", responses=problems(COMMAND))
def erasure(personnel_id: PersonnelId, body: ErasureRequest, command: CommandDep) -> Response:
    """Erases the official's personal data: their keys are destroyed, their secondments' events
    read "[đã xóa]" where it was, the read models and stored responses lose it. Refused while a
    secondment of theirs is active; a repeat changes nothing. Ministry, or home affairs of the
    province of each of their secondments."""
    principal, registry = command.principal, command.registry
    if principal.role not in (Role.MINISTRY, Role.HOME_AFFAIRS):
        raise forbidden("this role may not erase a person's data")

    def act() -> Response:
        found = people.secondments_of(registry, personnel_id)
        nominated = people.nominations_of(registry, personnel_id)
        person = people.erased_person(registry, personnel_id)
        shown = found or [registry.get(i) for i in (person.erased if person else ())]
        only_nominated = not shown and may_erase_nominee(principal, Plans(registry), nominated)
        if not (only_nominated or _in_scope(principal, shown, every=True)):
            raise people.PersonNotFound()
        done = people.erase(
            registry, command.meta, personnel_id, found, body.reason, body.legal_basis, nominated
        )
        ids = [str(i) for i in done.secondment_ids]
        command.replays.forget(ids)
        result = ErasureDone(
            secondment_ids=ids,
            keys_destroyed=done.keys_destroyed,
            position=done.position,
            already_erased=done.position is None,
        )
        return json_response(result)

    return command.once("erasure", act)
