"""Formula injection: no text a caller typed is evaluated by the spreadsheet that opens an export
(CSV and .xlsx; the API's list, audit and reports, and the dashboard's list export)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.spreadsheet import XLSX, csv_cell, formula_like
from tests.api.helpers import secondment_body
from tests.ui.helpers import Dashboard

NAME = '=HYPERLINK("http://x","y")'
AGENCY = "@SUM(1+1)"
REASON = "-2+3"
POSITION = "+cmd|' /C calc'!A0"
TYPED = {NAME, AGENCY, REASON, POSITION, "\tTab", "\rReturn"}
EXPORTS = {
    "/v1/secondments": {NAME, AGENCY},
    "/v1/audit": {AGENCY},
    "/v1/reports/agencies": {AGENCY},
}


@pytest.fixture
def hostile(store: Settings) -> Iterator[Dashboard]:
    """An app with its read models running, holding one request whose texts look like formulas."""
    settings = store.model_copy(update={"run_projections": True})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        ui = Dashboard(client, settings)
        official = {**secondment_body()["official"], "full_name": NAME, "position": POSITION}
        ui.api.create(official=official, home_agency=AGENCY, reason=REASON)
        ui.caught_up()
        yield ui


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _xlsx_cells(content: bytes) -> list[Any]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [cell for row in sheet.iter_rows() for cell in row]


def _assert_csv_defused(text: str, expected: set[str]) -> None:
    cells = _csv_cells(text)
    assert {f"'{t}" for t in expected} <= set(cells), cells
    assert not [c for c in cells if formula_like(c)], cells


def _assert_xlsx_defused(content: bytes, expected: set[str]) -> None:
    cells = _xlsx_cells(content)
    typed = [c for c in cells if c.value in TYPED]
    assert {c.value for c in typed} >= expected
    assert all(c.data_type == "s" for c in typed), [(c.value, c.data_type) for c in typed]
    assert not [c.value for c in cells if c.data_type == "f"]


def test_the_one_rule_marks_exactly_the_formula_starts() -> None:
    for text in TYPED:
        assert formula_like(text) and csv_cell(text) == f"'{text}"
    for value in ("Đào Duy Hưng", "2025-10-20", "", -2, 3.5, None, "a=b"):
        assert not formula_like(value) and csv_cell(value) == value


@pytest.mark.parametrize("path", list(EXPORTS))
def test_api_exports_write_formula_like_text_as_text(hostile: Dashboard, path: str) -> None:
    api = hostile.api
    as_csv = api.client.get(path, headers={**api.headers("ministry"), "Accept": "text/csv"})
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    _assert_csv_defused(as_csv.text, EXPORTS[path])
    as_xlsx = api.client.get(path, headers={**api.headers("ministry"), "Accept": XLSX})
    assert as_xlsx.status_code == 200 and as_xlsx.headers["content-type"] == XLSX
    _assert_xlsx_defused(as_xlsx.content, EXPORTS[path])


def test_dashboard_exports_write_formula_like_text_as_text(hostile: Dashboard) -> None:
    hostile.sign_in("ministry")
    as_csv = hostile.get("/ui/secondments/export.csv")
    assert as_csv.status_code == 200
    _assert_csv_defused(as_csv.content.decode("utf-8-sig"), {NAME, AGENCY})
    as_xlsx = hostile.get("/ui/secondments/export.xlsx")
    assert as_xlsx.status_code == 200
    _assert_xlsx_defused(as_xlsx.content, {NAME, AGENCY})
