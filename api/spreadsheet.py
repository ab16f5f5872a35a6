"""Exports: Excel (.xlsx) answers for the dashboard's export buttons (api/ui) and the report
endpoints, and the one rule that keeps every CSV and .xlsx cell from being run as a formula.

A report router answers a spreadsheet with two lines:

    if spreadsheet.wants_xlsx(request):
        return spreadsheet.xlsx_response("communes", columns, rows)
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from starlette.requests import Request
from starlette.responses import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"
MAX_SHEET_TITLE = 31
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may take for the start of a formula (or of a DDE command)."""


def formula_like(value: Any) -> bool:
    """Whether a text cell would be evaluated by a spreadsheet that opens the export."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: text that a spreadsheet would evaluate gets a leading `'`."""
    return f"'{value}" if formula_like(value) else value


def wants_xlsx(request: Request) -> bool:
    """Whether the caller asked for a spreadsheet (Accept names the .xlsx media type)."""
    return XLSX in request.headers.get("accept", "")


def _cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    elif isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    elif value is not None and not isinstance(value, str | int | float | date | bool):
        value = str(value)
    cell = WriteOnlyCell(sheet, value=value)
    if formula_like(value):
        cell.data_type = "s"
    if isinstance(value, date) and not isinstance(value, datetime):
        cell.number_format = DATE_FORMAT
    return cell


def xlsx_bytes(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Dữ liệu"
) -> bytes:
    """A one-sheet workbook: a bold header row, then the rows (dates shown dd/mm/yyyy)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:MAX_SHEET_TITLE])
    header = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(
    filename: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Dữ liệu"
) -> Response:
    """An attachment named `<filename>.xlsx` (UTF-8 names allowed)."""
    name = f"{filename}.xlsx"
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(
        xlsx_bytes(columns, rows, title),
        media_type=XLSX,
        headers={"Content-Disposition": disposition},
    )
