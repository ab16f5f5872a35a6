"""Imports: a list of requests as a spreadsheet (CSV or .xlsx), created all or none, optionally
approved under one decision; `dry_run` checks every row and records nothing."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from pydantic import ValidationError
from starlette.responses import Response

from api import access, imports, spreadsheet
from api.commands import CommandContext, json_response
from api.deps import CommandDep, PrincipalDep
from api.errors import ApiProblem
from api.schemas.commands import ApproveBody
from api.schemas.problems import CREATE, ProblemField, problems
from api.schemas.views import ImportResult, ImportRow
from domain.application import Recorded
from domain.batches import Approval
from domain.errors import RuleViolation
from domain.units import host_violations

router = APIRouter(prefix="/v1/imports", tags=["imports"])
Text = Annotated[str, Form(max_length=200)]
IMPORT = "import"
"""The command's name in the metrics."""


def approval_of(number: str, day: str, issuer: str, start: str, end: str) -> Approval | None:
    """The decision fields of the form, checked by the approval's own request model; None when
    all are empty."""
    if not any((number, day, issuer, start, end)):
        return None
    data = {"decision": {"number": number, "date": day, "issuer": issuer}, "start": start}
    try:
        body = ApproveBody.model_validate({**data, "end": end})
    except ValidationError as e:
        errors = [
            ProblemField(field=".".join(map(str, x["loc"])), message=x["msg"], rule=x["type"])
            for x in e.errors()
        ]
        raise ApiProblem(
            422, "invalid", "Unprocessable Content", errors[0].message, errors=errors
        ) from None
    return Approval(body.decision.to_domain(), body.term())


def _field(p: imports.RowProblem) -> ProblemField:
    return ProblemField(field=p.field, message=p.message, rule=p.rule, row=p.row, column=p.column)


def run_import(
    command: CommandContext, content: bytes, filename: str, approval: Approval | None, dry: bool
) -> ImportResult:
    """Reads, checks and (unless `dry`) records a list; every problem of every row is named."""
    access.require(command.principal, access.REQUEST)
    if approval is not None:
        access.require(command.principal, access.DECIDE)
    rows = imports.read_table(content, filename)
    accepted, found = imports.to_requests(rows)
    for index, new in accepted:
        if host_violations(new.host):
            continue  # the domain names the unknown ward
        if not access.may_request(command.principal, new.host, new.home_agency):
            message = "this host or home agency is outside the token's scope"
            found.append(
                imports.RowProblem(
                    index + 2,
                    f"rows[{index}].host.ward_code",
                    imports.COLUMNS["ward_code"],
                    "request_scope",
                    message,
                )
            )
    indices = [i for i, _ in accepted]
    recorded = []
    if found and not accepted:
        return _result(dry, len(rows), [], found, [])
    try:
        recorded = command.registry.request_many(
            command.meta, [n for _, n in accepted], approval, dry_run=dry or bool(found)
        )
    except RuleViolation as e:
        found.extend(imports.from_violations(e.violations, indices))
    return _result(dry, len(rows), indices, found, recorded)


def _result(
    dry: bool,
    rows: int,
    indices: list[int],
    found: list[imports.RowProblem],
    recorded: list[Recorded],
) -> ImportResult:
    found.sort(key=lambda p: (p.row, p.column))
    items = [
        ImportRow(
            row=i + 2,
            id=None if dry else r.secondment.id,
            full_name=r.secondment.official.full_name,
            ward_code=r.secondment.host.ward_code,
            state=r.secondment.state,
        )
        for i, r in zip(indices, recorded, strict=False)
    ]
    position = recorded[-1].position if recorded and not dry and not found else None
    return ImportResult(
        dry_run=dry,
        rows=rows,
        items=items if not found or dry else [],
        problems=[_field(p) for p in found],
        position=position,
    )


@router.post(
    "",
    status_code=201,
    response_model=ImportResult,
    responses={
        200: {"model": ImportResult, "description": "A dry run: each row's problems"},
        **problems(CREATE),
    },
)
def import_requests(
    command: CommandDep,
    file: Annotated[UploadFile, File(description="CSV (UTF-8) or .xlsx, headers as the template")],
    dry_run: Annotated[bool, Form()] = False,
    decision_number: Text = "",
    decision_date: Text = "",
    decision_issuer: Text = "",
    start: Text = "",
    end: Text = "",
) -> Response:
    """Nhập danh sách: one request per row, all or none; with the decision fields, all approved
    under that decision (a row's *Lý do phê duyệt đặc cách* is its override reason). `dry_run`
    answers 200 with every row's problems and records nothing; an import with problems is 422
    with `errors` naming `row`, `column`, `field` and `rule`."""
    approval = approval_of(decision_number, decision_date, decision_issuer, start, end)
    content, name = file.file.read(), file.filename or ""
    return command.once(
        IMPORT, lambda: _answer(run_import(command, content, name, approval, dry_run))
    )


def _answer(result: ImportResult) -> Response:
    if result.problems and not result.dry_run:
        errors = result.problems
        detail = f"{len(errors)} problem(s) in the list; nothing was recorded"
        raise ApiProblem(422, "rule-violation", "Unprocessable Content", detail, errors=errors)
    return json_response(result, 200 if result.dry_run else 201)


@router.get(
    "/template",
    response_class=Response,
    responses={
        200: {"content": {spreadsheet.XLSX: {}}, "description": "The template (.xlsx)"},
        **problems((401, 403, 500)),
    },
)
def template(principal: PrincipalDep) -> Response:
    """The spreadsheet to fill in (.xlsx, Vietnamese headers, one example row)."""
    access.require(principal, access.REQUEST)
    year = date.today().year
    columns = imports.template_columns(year)
    return spreadsheet.xlsx_response("mau-danh-sach-biet-phai", columns, [imports.example(year)])
