"""The action forms of the secondment page: their inputs, and a form turned into the API's body.

A form posts the API's own field names (`decision.number`, `arrived_on`…); it is validated by the
API's own request model, so the form and the API refuse the same things with the same field names.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ValidationError

from api.schemas import commands as bodies
from api.ui import labels
from api.ui.messages import FieldError, from_validation
from domain.secondment import Secondment


@dataclass(frozen=True)
class Input:
    """One input of a form, named by the body field it fills (dots for nesting)."""

    name: str
    label: str
    kind: str = "text"
    options: tuple[tuple[str, str], ...] = ()
    required: bool = True
    hint: str = ""
    when_required: str = ""
    """For an input required only in some cases: which (shown instead of "không bắt buộc")."""


@dataclass(frozen=True)
class ActionForm:
    """The form of one lifecycle action."""

    action: str
    body: type[BaseModel]
    inputs: tuple[Input, ...]
    danger: bool = False
    intro: str = ""

    @property
    def title(self) -> str:
        return labels.ACTIONS[self.action]


def _options(table: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(table.items())


DECISION = (
    Input("decision.number", "Số quyết định", hint="Ví dụ: 2446/QĐ-UBND"),
    Input("decision.date", "Ngày ký quyết định", "date"),
    Input("decision.issuer", "Cơ quan ban hành", hint="Ví dụ: UBND tỉnh Điện Biên"),
)
REASON = Input("reason", "Lý do", "textarea")
NUMBER = Input("number", "Vướng mắc", "select")
FORMS: dict[str, ActionForm] = {
    f.action: f
    for f in (
        ActionForm(
            "approve",
            bodies.ApproveBody,
            (
                *DECISION,
                Input("start", "Từ ngày", "date"),
                Input("end", "Đến ngày", "date"),
                Input(
                    "override_reason",
                    "Lý do phê duyệt đặc cách",
                    "textarea",
                    required=False,
                    when_required="bắt buộc khi cán bộ chưa đủ điều kiện",
                ),
                Input(
                    "consulted_on",
                    "Ngày gặp gỡ, trao đổi với viên chức",
                    "date",
                    required=False,
                    hint="Với viên chức: người đứng đầu đơn vị gặp trước khi quyết định",
                ),
            ),
        ),
        ActionForm("reject", bodies.ReasonBody, (REASON,), danger=True),
        ActionForm("withdraw", bodies.ReasonBody, (REASON,), danger=True),
        ActionForm("deploy", bodies.DeployBody, (Input("arrived_on", "Ngày đến", "date"),)),
        ActionForm(
            "report",
            bodies.ReportBody,
            (
                Input("kind", "Loại báo cáo", "select", _options(labels.REPORT_KINDS)),
                Input("period_start", "Từ ngày", "date"),
                Input("period_end", "Đến ngày", "date"),
                Input("summary", "Nội dung", "textarea"),
                Input("procedures_handled", "Số thủ tục hành chính đã giải quyết", "number"),
                Input("staff_coached", "Số cán bộ được hướng dẫn", "number"),
                Input("field_visits", "Số chuyến đi cơ sở", "number"),
            ),
        ),
        ActionForm(
            "raise_difficulty",
            bodies.DifficultyBody,
            (
                Input("title", "Tiêu đề"),
                Input("detail", "Nội dung khó khăn, vướng mắc", "textarea"),
                Input("field", "Lĩnh vực", "select", _options(labels.FIELDS)),
            ),
        ),
        ActionForm(
            "escalate_difficulty",
            bodies.EscalateBody,
            (
                NUMBER,
                Input("to", "Báo cáo lên", "select", _options(labels.LEVELS)),
                Input("note", "Đề xuất, kiến nghị", "textarea"),
            ),
        ),
        ActionForm(
            "resolve_difficulty",
            bodies.ResolveBody,
            (NUMBER, Input("resolution", "Kết quả tháo gỡ", "textarea")),
        ),
        ActionForm(
            "extend",
            bodies.ExtendBody,
            (Input("new_end", "Ngày kết thúc mới", "date"), *DECISION),
        ),
        ActionForm(
            "handover",
            bodies.HandoverBody,
            (
                Input("planned_on", "Ngày bàn giao", "date"),
                Input("recipients", "Người nhận bàn giao", "lines", hint="Mỗi người một dòng"),
                Input("items", "Nội dung bàn giao", "lines", hint="Mỗi nội dung một dòng"),
            ),
        ),
        ActionForm(
            "end",
            bodies.EndBody,
            (
                Input("ended_on", "Ngày kết thúc", "date"),
                Input(
                    "host_evaluation.rating",
                    "Đánh giá của nơi tiếp nhận",
                    "select",
                    _options(labels.RATINGS),
                ),
                Input("host_evaluation.comment", "Nhận xét", "textarea"),
            ),
        ),
        ActionForm(
            "recall",
            bodies.RecallBody,
            (
                Input("ended_on", "Ngày rút về", "date"),
                REASON,
                Input("initiated_by", "Bên đề nghị", "select", _options(labels.INITIATORS)),
            ),
            danger=True,
        ),
        ActionForm(
            "return",
            bodies.ReturnBody,
            (
                Input("returned_on", "Ngày tiếp nhận trở lại", "date"),
                Input("post", "Vị trí công tác được bố trí"),
            ),
        ),
    )
}


@dataclass
class Submission:
    """A posted form: the raw values to show again, the body, and what was wrong."""

    values: dict[str, str]
    body: BaseModel | None = None
    number: int | None = None
    errors: list[FieldError] = field(default_factory=list)


def _put(body: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        body = body.setdefault(part, {})
    body[last] = value


def _value(item: Input, raw: str) -> tuple[Any, FieldError | None]:
    if item.kind == "date":
        day = labels.parse_vn_date(raw)
        if day is None:
            return None, FieldError(item.name, "date_format")
        return day.isoformat(), None
    if item.kind == "number":
        if not raw.isdigit():
            return None, FieldError(item.name, "count_format")
        return int(raw), None
    if item.kind == "lines":
        return [line.strip() for line in raw.splitlines() if line.strip()], None
    return raw, None


def parse(form: ActionForm, posted: Mapping[str, str]) -> Submission:
    """Validates a posted form with the API's request model."""
    names = {i.name for i in form.inputs}
    sub = Submission({k: str(v) for k, v in posted.items() if k in names})
    data: dict[str, Any] = {}
    for item in form.inputs:
        raw = sub.values.get(item.name, "").strip()
        if not raw:
            if item.required:
                sub.errors.append(FieldError(item.name, "missing"))
            continue
        if item.name == "number":
            sub.number = int(raw) if raw.isdigit() else None
            continue
        value, error = _value(item, raw)
        if error:
            sub.errors.append(error)
        else:
            _put(data, item.name, value)
    try:
        sub.body = form.body.model_validate_json(json.dumps(data))
    except ValidationError as e:
        seen = {err.field for err in sub.errors}
        sub.errors.extend(err for err in from_validation(e) if err.field not in seen)
    if sub.errors:
        sub.body = None
    return sub


def defaults(action: str, s: Secondment, today: date) -> dict[str, str]:
    """Sensible first values of a form for this secondment, as people write them."""
    term = s.term or s.planned
    start, end = labels.vn_date(term.start), labels.vn_date(term.end)
    week_start = max(term.start, today - timedelta(days=today.weekday()))
    found = {
        "approve": {"start": start, "end": end, "decision.date": labels.vn_date(today)},
        "deploy": {"arrived_on": start},
        "report": {
            "period_start": labels.vn_date(week_start),
            "period_end": labels.vn_date(min(term.end, week_start + timedelta(days=6))),
            "procedures_handled": "0",
            "staff_coached": "0",
            "field_visits": "0",
        },
        "raise_difficulty": {"field": s.fields[0].value if s.fields else ""},
        "handover": {"planned_on": labels.vn_date(min(term.end, max(today, term.start)))},
        "end": {"ended_on": end},
        "recall": {"ended_on": labels.vn_date(min(term.end, max(today, term.start)))},
        "extend": {"decision.date": labels.vn_date(today)},
        "return": {
            "returned_on": labels.vn_date(max(today, s.ending.ended_on if s.ending else today))
        },
    }
    return found.get(action, {})
