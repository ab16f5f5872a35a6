"""Spreadsheets of requests for the import tests: the template's headers, N rows, some broken."""

from __future__ import annotations

import io
import uuid
from typing import Any

from openpyxl import Workbook, load_workbook

NAMES = ["Lò Văn Khánh", "Quàng Thị Mai", "Nguyễn Quang Dũng", "Đào Duy Hưng", "Cà Văn Sơn"]
WARDS = [3194, 3356]


def template_headers(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [str(c) for c in next(sheet.iter_rows(values_only=True))]


def row(headers: list[str], index: int, **changes: Any) -> list[Any]:
    values = {
        "Họ và tên": NAMES[index % len(NAMES)],
        "Mã cán bộ": f"DB-{uuid.uuid4().hex[:10]}",
        "Công chức/Viên chức": "Công chức" if index % 2 else "Viên chức",
        "Ngạch, chức vụ": "Chuyên viên",
        "Lãnh đạo, quản lý (có/không)": "có",
        "Trong quy hoạch (có/không)": "không",
        "Cơ quan cử": "Sở Xây dựng",
        "Mã xã, phường nhận": WARDS[index % 2],
        "Hình thức": "Biệt phái",
        "Lĩnh vực": "Xây dựng; Quản lý đất đai",
        "Từ ngày": "20/10/2025",
        "Đến ngày": "19/04/2026",
        "Lý do": "Xã thiếu cán bộ",
        "Lý do phê duyệt đặc cách": "",
    }
    for header in headers:
        if header.startswith("Xếp loại năm"):
            values[header] = "Hoàn thành tốt"
    values.update(changes)
    return [values.get(h, "") for h in headers]


def xlsx(headers: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_two_bad_rows(headers: list[str], count: int = 20) -> list[list[Any]]:
    """Rows 4 and 9 of the sheet are wrong: a ward that does not exist, an end before the start."""
    rows = [row(headers, i) for i in range(count)]
    rows[2] = row(headers, 2, **{"Mã xã, phường nhận": 99999})
    rows[7] = row(headers, 7, **{"Đến ngày": "01/10/2025"})
    return rows
