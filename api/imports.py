"""A list of requests as a spreadsheet (CSV or .xlsx) with Vietnamese column headers: its
template, and its rows turned into the domain's `NewRequest`s, checked by the API's own request
model, each problem naming its row, its column and its rule."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import ValidationError

from api.errors import invalid
from api.schemas.commands import SecondmentCreate
from api.ui import labels
from domain.batches import NewRequest
from domain.units import ward_province
from domain.values import Violation

COLUMNS = {
    "full_name": "Họ và tên",
    "personnel_id": "Mã cán bộ",
    "category": "Công chức/Viên chức",
    "position": "Ngạch, chức vụ",
    "is_leader": "Lãnh đạo, quản lý (có/không)",
    "in_succession_plan": "Trong quy hoạch (có/không)",
    "home_agency": "Cơ quan cử",
    "ward_code": "Mã xã, phường nhận",
    "kind": "Hình thức",
    "fields": "Lĩnh vực",
    "planned_start": "Từ ngày",
    "planned_end": "Đến ngày",
    "reason": "Lý do",
    "override_reason": "Lý do phê duyệt đặc cách",
}
APPRAISAL = "Xếp loại năm {year}"
APPRAISAL_HEADER = re.compile(r"xếp loại năm (\d{4})")
YES, NO = {"có", "x", "yes", "true", "1"}, {"không", "", "no", "false", "0"}
MAX_ROWS = 1000


@dataclass(frozen=True)
class RowProblem:
    """One problem of one row: the sheet's row number, the API's field and the column header."""

    row: int
    field: str
    column: str
    rule: str
    message: str


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).strip().casefold()


def _choices(table: dict[str, str]) -> dict[str, str]:
    """Code, Vietnamese label, and the label without "nhiệm vụ", all to the code."""
    found = {}
    for code, text in table.items():
        for name in (code, text, text.removesuffix(" nhiệm vụ")):
            found[_norm(name)] = code
    return found


CHOICES = {
    "category": _choices(labels.CATEGORIES),
    "kind": _choices(labels.KINDS),
    "field": _choices(labels.FIELDS),
    "rating": _choices(labels.RATINGS),
}


def template_columns(year: int) -> list[str]:
    """The headers of the template: the appraisals of the three years before `year`."""
    keys = list(COLUMNS)
    at = keys.index("home_agency")
    years = [APPRAISAL.format(year=y) for y in range(year - 3, year)]
    return [*(COLUMNS[k] for k in keys[:at]), *years, *(COLUMNS[k] for k in keys[at:])]


def example(year: int) -> list[Any]:
    """The template's example row: Điện Biên's decision 2446, Đào Duy Hưng to xã Nậm Nèn."""
    head = ["Đào Duy Hưng", "DB-KHCN-0001", "Viên chức", "Viên chức Phòng Công nghệ số", "không"]
    ratings = ["Hoàn thành tốt", "Hoàn thành tốt", "Hoàn thành xuất sắc"]
    host = ["Sở Khoa học và Công nghệ", 3194, "Biệt phái", "Công nghệ thông tin; Chuyển đổi số"]
    term = [date(year, 1, 5), date(year, 7, 4), "Xã thiếu cán bộ công nghệ thông tin", ""]
    return [*head, "có", *ratings, *host, *term]


def read_table(content: bytes, filename: str) -> list[dict[str, Any]]:
    """The rows of the first sheet (or of the CSV), keyed by their header; blank rows dropped."""
    try:
        if content[:2] == b"PK":
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
            table = [list(r) for r in sheet.iter_rows(values_only=True)]
        else:
            text = content.decode("utf-8-sig")
            table = [list(r) for r in csv.reader(io.StringIO(text))]
    except (
        UnicodeDecodeError,
        csv.Error,
        OSError,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
        BadZipFile,
        InvalidFileException,
    ):
        message = f"{filename or 'the file'} is neither UTF-8 CSV nor .xlsx"
        raise invalid("file", message, "file_format") from None
    if not table:
        raise invalid("file", "the file has no header row", "header_missing")
    headers = [_norm(h) if h is not None else "" for h in table[0]]
    rows = [dict(zip(headers, r, strict=False)) for r in table[1:]]
    rows = [r for r in rows if any(v not in (None, "") for v in r.values())]
    if len(rows) > MAX_ROWS:
        raise invalid("file", f"at most {MAX_ROWS} rows per file", "too_many_rows")
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value)).strip()


def _day(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return labels.parse_vn_date(_text(value)) or _text(value)


def _choice(kind: str, value: Any) -> str:
    return CHOICES[kind].get(_norm(_text(value)), _text(value))


def _flag(value: Any) -> Any:
    text = _norm(_text(value))
    return True if text in YES else False if text in NO else text


def _province(ward_code: Any) -> int:
    """The ward's own province; for a code that is no ward, any valid province code, so that
    the domain's check names the ward (`ward_exists`) rather than the province."""
    return (ward_province(ward_code) if isinstance(ward_code, int) else None) or 1


def _body(row: dict[str, Any]) -> dict[str, Any]:
    """The API's request body from one row (values left as written when they are not valid, so
    that the request model names them)."""

    def cell(key: str) -> Any:
        return row.get(_norm(COLUMNS[key]))

    ward = _text(cell("ward_code"))
    ward_code: Any = int(ward) if ward.isdigit() else ward
    appraisals = [
        {"year": int(found.group(1)), "rating": _choice("rating", value)}
        for header, value in row.items()
        if (found := APPRAISAL_HEADER.fullmatch(header)) and _text(value)
    ]
    fields = [f for f in re.split(r"[;,\n]", _text(cell("fields"))) if f.strip()]
    return {
        "official": {
            "full_name": _text(cell("full_name")),
            "personnel_id": _text(cell("personnel_id")),
            "category": _choice("category", cell("category")),
            "position": _text(cell("position")),
            "is_leader": _flag(cell("is_leader")),
            "in_succession_plan": _flag(cell("in_succession_plan")),
            "appraisals": appraisals,
        },
        "home_agency": _text(cell("home_agency")),
        "host": {"province_code": _province(ward_code), "ward_code": ward_code},
        "kind": _choice("kind", cell("kind")),
        "fields": [_choice("field", f) for f in fields],
        "planned_start": _day(cell("planned_start")),
        "planned_end": _day(cell("planned_end")),
        "reason": _text(cell("reason")),
    }


def column_of(path: str) -> str:
    """The column header of an API field path such as `official.full_name` or `host.ward_code`."""
    parts = [p for p in re.split(r"[.\[\]]", path) if p and not p.isdigit()]
    for part in reversed(parts):
        if part in COLUMNS:
            return COLUMNS[part]
        if part in ("host", "province_code"):
            return COLUMNS["ward_code"]
        if part in ("appraisals", "eligibility", "year", "rating"):
            return APPRAISAL.format(year="…")
    return ""


def _problem(index: int, path: str, rule: str, message: str) -> RowProblem:
    """Row `index` (0 the first below the headers; -1 the whole list)."""
    if index < 0:
        return RowProblem(0, path, "", rule, message)
    field = f"rows[{index}].{path}" if path else f"rows[{index}]"
    return RowProblem(index + 2, field, column_of(path), rule, message)


def to_requests(
    rows: Iterable[dict[str, Any]],
) -> tuple[list[tuple[int, NewRequest]], list[RowProblem]]:
    """Each row checked by the request model; the rows that pass, by index, as requests."""
    requests: list[tuple[int, NewRequest]] = []
    problems: list[RowProblem] = []
    for index, row in enumerate(rows):
        try:
            body = SecondmentCreate.model_validate(_body(row))
        except ValidationError as e:
            for error in e.errors():
                path = ".".join(str(p) for p in error["loc"] if not isinstance(p, int))
                problems.append(_problem(index, path, error["type"], error["msg"]))
            continue
        override = _text(row.get(_norm(COLUMNS["override_reason"]))) or None
        requests.append(
            (
                index,
                NewRequest(
                    body.official.to_domain(),
                    body.home_agency,
                    body.host.to_domain(),
                    body.kind,
                    tuple(body.fields),
                    body.planned(),
                    body.reason,
                    override,
                ),
            )
        )
    return requests, problems


def from_violations(violations: Iterable[Violation], indices: list[int]) -> list[RowProblem]:
    """The domain's refusals of a batch (fields `rows[i].…`, i counting the requests sent), as
    problems of the sheet's rows (`indices[i]` is the row of request i)."""
    found = []
    for v in violations:
        match = re.match(r"rows\[(\d+)\]\.?(.*)", v.field)
        index, path = (indices[int(match.group(1))], match.group(2)) if match else (-1, v.field)
        found.append(_problem(index, path, v.rule, v.message))
    return found
