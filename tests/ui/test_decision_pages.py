"""Approving a batch under one decision from the dashboard, and the printable list attached to
the decision, on each backend (with the read models running)."""

from __future__ import annotations

import re
from typing import Any

from tests.api.helpers import secondment_body
from tests.ui.helpers import Dashboard, hidden_fields

DECISION = {
    "decision_number": "2611/QĐ-UBND",
    "decision_date": "05/11/2025",
    "decision_issuer": "UBND tỉnh Điện Biên",
    "start": "10/11/2025",
    "end": "09/05/2026",
}


def _requests(ui: Dashboard) -> tuple[list[str], str]:
    """Three eligible requests and one from an official neither leader nor planned."""
    good = [ui.api.create()["id"] for _ in range(3)]
    weak = secondment_body()["official"] | {"is_leader": False, "in_succession_plan": False}
    weak["full_name"] = "Cà Văn Sơn"
    bad = ui.api.create(official=weak)["id"]
    ui.caught_up()
    return good, bad


def _post(ui: Dashboard, ids: list[str], step: str, **extra: str) -> Any:
    page = ui.get("/ui/decisions/new").text
    data: dict[str, Any] = {**hidden_fields(page, '/ui/decisions/new" class="card'), **DECISION}
    data.update(ids=ids, step=step, **extra)
    return ui.client.post("/ui/decisions/new", data=data, follow_redirects=False)


def _state(ui: Dashboard, sid: str) -> str:
    return str(ui.api.get(f"/v1/secondments/{sid}").json()["state"])


def test_a_batch_is_checked_then_approved_under_one_decision(live_ui: Dashboard) -> None:
    good, bad = _requests(live_ui)
    live_ui.sign_in("home_affairs")
    page = live_ui.get("/ui/decisions/new").text
    assert all(f'value="{sid}"' for sid in [*good, bad]) and 'id="select-all"' in page
    checked = _post(live_ui, [*good, bad], "check")
    assert checked.status_code == 422
    row = re.search(rf'<tr class="bad" data-id="{bad}">.*?</tr>', checked.text, re.S)
    assert row and "Cán bộ chưa đủ điều kiện" in row.group(0)
    assert f'name="override_{bad}"' in row.group(0)
    assert {_state(live_ui, s) for s in [*good, bad]} == {"requested"}
    reason = {f"override_{bad}": "Duy nhất có chuyên môn"}
    again = _post(live_ui, [*good, bad], "check", **reason)
    assert again.status_code == 200 and 'id="all-pass"' in again.text
    assert {_state(live_ui, s) for s in [*good, bad]} == {"requested"}
    done = _post(live_ui, [*good, bad], "approve", **reason)
    assert done.status_code == 303
    assert done.headers["location"] == "/ui/decisions?number=2611/Q%C4%90-UBND&done=approve"
    assert {_state(live_ui, s) for s in [*good, bad]} == {"approved"}
    shown = live_ui.get(done.headers["location"]).text
    assert "Đã phê duyệt." in shown and "In danh sách kèm theo quyết định" in shown


def test_the_printed_list_is_numbered_and_names_the_decision(live_ui: Dashboard) -> None:
    good, bad = _requests(live_ui)
    live_ui.sign_in("home_affairs")
    reason = {f"override_{bad}": "Duy nhất có chuyên môn"}
    assert _post(live_ui, [*good, bad], "approve", **reason).status_code == 303
    live_ui.caught_up()
    html = live_ui.get("/ui/decisions/print?number=2611/QĐ-UBND").text
    assert "Danh sách kèm theo Quyết định số 2611/QĐ-UBND" in html
    assert "(Kèm theo Quyết định số 2611/QĐ-UBND ngày 05/11/2025 của UBND tỉnh Điện Biên)" in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "UBND TỈNH ĐIỆN BIÊN" in html
    numbers = re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]+)</td><td>([^<]+)</td>', html)
    assert [n for n, _, _ in numbers] == ["1", "2", "3", "4"]
    assert {p for _, _, p in numbers} == {"Viên chức Phòng Công nghệ số"}
    assert "Danh sách có 4 người." in html


def test_nothing_chosen_or_no_decision_is_refused_and_roles_without_decide_get_403(
    live_ui: Dashboard,
) -> None:
    good, _ = _requests(live_ui)
    live_ui.sign_in("home_affairs")
    r = _post(live_ui, [], "approve")
    assert r.status_code == 422 and "Cần chọn ít nhất một hồ sơ." in r.text
    r = _post(live_ui, good, "approve", decision_date="5/13/2025")
    assert r.status_code == 422 and 'id="decision_date-error"' in r.text
    assert {_state(live_ui, s) for s in good} == {"requested"}
    live_ui.sign_in("agency")
    assert live_ui.get("/ui/decisions/new").status_code == 403
