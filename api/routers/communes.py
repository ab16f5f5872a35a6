"""A commune's own record: the fields it declares it lacks, and the hardship areas the province
classifies it in (command side)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from api import access
from api.deps import CommandDep, RegistryDep
from api.schemas.commands import AreaBody, NeedsBody
from api.schemas.problems import CREATE, problems
from api.schemas.views import NeedsRecorded

router = APIRouter(prefix="/v1/communes", tags=["communes"])
WardCode = Annotated[int, Path(ge=1, le=99999, description="Official code of the commune or ward")]


@router.put("/{ward_code}/needs", response_model=NeedsRecorded, responses=problems(CREATE))
def declare_needs(
    ward_code: WardCode, body: NeedsBody, command: CommandDep, registry: RegistryDep
) -> Response:
    """Khai báo lĩnh vực còn thiếu: replaces the previous declaration, kept as an event; with
    `area`, also the hardship classification (home_affairs, ministry only)."""
    actions = (access.DECLARE_NEEDS,) + ((access.DECLARE_AREA,) if body.area is not None else ())
    return command.declare(
        ward_code,
        lambda meta, host: registry.declare_needs(
            meta, host, body.fields, body.note, body.area, body.effective_on
        ),
        actions,
    )


@router.put("/{ward_code}/area", response_model=NeedsRecorded, responses=problems(CREATE))
def declare_area(
    ward_code: WardCode, body: AreaBody, command: CommandDep, registry: RegistryDep
) -> Response:
    """Phân loại địa bàn (miền núi, biên giới, hải đảo, đặc biệt khó khăn), by the province
    (Decree 170/2025 Art. 27(3)); replaces the previous one, kept as an `AreaDeclared` event."""
    return command.declare(
        ward_code,
        lambda meta, host: registry.declare_area(meta, host, body.area),
        (access.DECLARE_AREA,),
    )
