"""One plan's page: what the template shows, read off the plans read model (targets, nominees
and their eligibility, the seats and who holds them, coverage, plan against actual)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from fastapi import Request
from starlette.responses import Response

from api.auth import Principal
from api.plan_access import plan_scope
from api.routers import plan_reads
from api.routers.readside import get_read_store
from api.ui import charts, labels
from api.ui.messages import FieldError
from api.ui.render import render
from api.ui.requests import years_before
from domain.plan_lifecycle import PLAN
from domain.units import province_name, ward_name


@dataclass(frozen=True)
class Form:
    """A form sent back: what was typed and what is wrong with it."""

    values: Mapping[str, Any] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)


ROW = re.compile(r"assignments\[(\d+)\]")
DONE = {
    "draft": "Đã lập kế hoạch. Mở đề cử để các cơ quan đề cử cán bộ.",
    "open": "Đã mở đề cử.",
    "nominate": "Đã ghi nhận đề cử.",
    "match": "Đã ghép tự động: xem kết quả và điều chỉnh nếu cần.",
    "assign": "Đã lưu phân công.",
    "decide": "Đã ra quyết định: các hồ sơ biệt phái đã được lập và phê duyệt.",
    "cancel": "Đã hủy kế hoạch.",
}


def place(province_code: int | None, ward_code: int | None) -> str:
    """A commune's name, else a province's (the Ministry's plans span several)."""
    if ward_code is not None:
        return ward_name(ward_code) or str(ward_code)
    if not province_code:
        return "Nhiều tỉnh, thành phố"
    return province_name(province_code) or str(province_code)


def _placed(row: Mapping[str, Any]) -> dict[str, Any]:
    return {**row, "place": place(row["province_code"], row["ward_code"])}


def _fields(codes: list[str]) -> str:
    return ", ".join(labels.label(f, "field") for f in codes)


def _nominee(n: dict[str, Any]) -> dict[str, Any]:
    failures = [labels.eligibility(f) for f in n.get("eligibility_failures", [])]
    return {**n, "failures": failures, "field_text": _fields(n["fields"])}


def _seats(found: dict[str, Any], values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every seat: where, what it needs, who holds it (or the form's choice), who may hold it."""
    given = {(a["target"], a["number"]): a for a in found["assignments"]}
    by_form = values.get("form") == "assign"
    seats = []
    for i, t in enumerate(found["targets"]):
        needed = set(t["fields"])
        options = [n for n in found["nominations"] if needed & set(n["fields"])]
        for number in range(t["seats"]):
            holder = given.get((i, number))
            chosen = values.get(f"seat_{i}_{number}", "") if by_form else None
            seats.append(
                {
                    "key": f"seat_{i}_{number}",
                    "target": i,
                    "number": number,
                    "place": place(t["province_code"], t["ward_code"]),
                    "needs": _fields(t["fields"]),
                    "holder": chosen if by_form else (holder or {}).get("nomination_id", ""),
                    "covers": _fields((holder or {}).get("fields", [])),
                    "options": options,
                }
            )
    return seats


def _seat_problems(values: Mapping[str, Any], errors: list[FieldError]) -> dict[str, list[str]]:
    """A refused adjustment's problems by seat input (`assignments[k]` is the k-th seat filled)."""
    filled = [k for k, v in values.items() if k.startswith("seat_") and v]
    found: dict[str, list[str]] = {}
    for e in errors:
        row = ROW.match(e.field)
        if row and int(row.group(1)) < len(filled):
            found.setdefault(filled[int(row.group(1))], []).append(e.message)
    return found


def _coverage(found: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**_placed(c), "field_label": _fields([c["field"]])} for c in found["coverage"]]


def context(
    found: dict[str, Any],
    principal: Principal,
    values: Mapping[str, Any],
    errors: list[FieldError],
) -> dict[str, Any]:
    coverage = _coverage(found)
    names = {n["nomination_id"]: n.get("full_name") or "" for n in found["nominations"]}
    ineligible = {n["nomination_id"] for n in found["nominations"] if not n["eligible"]}
    period = found["period"] or {}
    defaults = {
        "start": labels.vn_date(period.get("start")),
        "end": labels.vn_date(period.get("end")),
        "decision_issuer": found["issuer"],
        "home_agency": principal.home_agency or "",
    }
    chart = [(f"{c['place']} · {c['field_label']}", c["covered"], None) for c in coverage]
    return {
        "title": found["title"],
        "plan": found,
        "state_label": PLAN.state_labels[found["state"]],
        "allowed": set(PLAN.allowed_for(principal.role, found["state"])),
        "place": place(found["province_code"], None),
        "targets": [{**_placed(t), "field_text": _fields(t["fields"])} for t in found["targets"]],
        "nominations": [_nominee(n) for n in found["nominations"]],
        "seats": _seats(found, values),
        "names": names,
        "to_override": [a for a in found["assignments"] if a["nomination_id"] in ineligible],
        "uncovered": len(found["uncovered"]),
        "coverage": coverage,
        "chart": charts.bars(chart, "Số vị trí có người đáp ứng theo xã và lĩnh vực"),
        "actual": [_placed(a) for a in found["actual"]],
        "values": {**defaults, **values},
        "errors": errors,
        "form": values.get("form", ""),
        "seat_problems": _seat_problems(values, errors),
    }


def show(
    request: Request, principal: Principal, plan_id: UUID, form: Form | None = None, done: str = ""
) -> Response:
    """The plan's page, with a refused form's values and problems when there are any (422)."""
    store = get_read_store(request)
    found = plan_reads.plan(plan_id, store, plan_scope(principal), principal)
    form = form or Form()
    values = form.values
    page = context(found, principal, values, form.errors)
    page["years"] = years_before(request.app.state.registry.today())
    page["done"] = DONE.get(done, "")
    page["key"] = values.get("idempotency_key") or uuid.uuid4().hex
    return render(request, "plan.html", page, 422 if form.errors else 200, principal)
