"""A commune's own record: the fields it declares it lacks (command side)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from api.deps import CommandDep, RegistryDep
from api.schemas.commands import NeedsBody
from api.schemas.problems import CREATE, problems
from api.schemas.views import NeedsRecorded

router = APIRouter(prefix="/v1/communes", tags=["communes"])
WardCode = Annotated[int, Path(ge=1, le=99999, description="Official code of the commune or ward")]


@router.put("/{ward_code}/needs", response_model=NeedsRecorded, responses=problems(CREATE))
def declare_needs(
    ward_code: WardCode, body: NeedsBody, command: CommandDep, registry: RegistryDep
) -> Response:
    """Khai báo lĩnh vực còn thiếu: replaces the previous declaration, kept as an event."""
    return command.declare(
        ward_code,
        lambda meta, host: registry.declare_needs(
            meta, host, body.fields, body.note, body.effective_on
        ),
    )
