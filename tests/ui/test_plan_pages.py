"""The plan pages through the dashboard's forms, on each backend with the read models running:
a new plan with its targets, a nomination, the matching, a refused and an accepted adjustment,
the decision with an override reason, and plan against actual."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from api.vietnamese import RULES
from tests.api.helpers import KHCN
from tests.ui.helpers import Dashboard, hidden_fields
from tests.ui.test_decision_pages import DECISION

NAM_NEN, MUONG_PHANG = 3194, 3325
GOOD = {"rating_2022": "good", "rating_2023": "good", "rating_2024": "good"}


def _post(ui: Dashboard, page: str, action: str, **values: Any) -> httpx.Response:
    html = ui.get(page).text
    data = {**hidden_fields(html, action), **values}
    r: httpx.Response = ui.client.post(action, data=data, follow_redirects=False)
    return r


def _assign(ui: Dashboard, plan: str, *holders: str) -> httpx.Response:
    """Posts the seats form: Nậm Nèn's two seats, then Mường Phăng's, to these nominations."""
    seats = dict(zip(("seat_0_0", "seat_0_1", "seat_1_0"), holders, strict=True))
    return _post(ui, f"/ui/plans/{plan}", f"/ui/plans/{plan}/assign", **seats)


def _new_plan(ui: Dashboard) -> str:
    r = _post(
        ui,
        "/ui/plans/new",
        "/ui/plans/new",
        title="Kế hoạch biệt phái về xã, đợt 1",
        issuer="Sở Nội vụ tỉnh Điện Biên",
        kind="secondment",
        start="20/10/2025",
        end="19/04/2026",
        place_0=f"w{NAM_NEN}",
        fields_0=["information_technology", "construction"],
        seats_0="2",
        place_1=f"w{MUONG_PHANG}",
        fields_1=["justice"],
        seats_1="1",
    )
    assert r.status_code == 303, r.text
    found = re.match(r"/ui/plans/([0-9a-f-]{36})\?done=draft$", r.headers["location"])
    assert found
    return found.group(1)


def _nominate(ui: Dashboard, plan: str, name: str, fields: list[str], **more: str) -> None:
    official = {"category": "civil_servant", "position": "Phó Trưởng phòng", **GOOD}
    official |= {"home_agency": "Sở Tư pháp", **more}
    r = _post(
        ui,
        f"/ui/plans/{plan}",
        f"/ui/plans/{plan}/nominate",
        full_name=name,
        personnel_id=f"DB-{uuid.uuid4().hex[:8]}",
        fields=fields,
        **official,
    )
    assert r.status_code == 303, r.text


def test_a_plan_from_targets_to_decision_and_plan_against_actual(live_ui: Dashboard) -> None:
    ui = live_ui
    ui.sign_in("home_affairs")
    refused = _post(ui, "/ui/plans/new", "/ui/plans/new", title="", issuer="Sở Nội vụ")
    assert refused.status_code == 422
    assert "Chưa lập được kế hoạch" in refused.text
    needs = f"/ui/communes/{NAM_NEN}/needs"
    declared = _post(ui, needs, needs, fields=["information_technology"], note="")
    assert declared.status_code == 303, declared.text
    plan = _new_plan(ui)
    assert "Xã Nậm Nèn" in ui.get(f"/ui/plans/{plan}").text
    assert _post(ui, f"/ui/plans/{plan}", f"/ui/plans/{plan}/open").status_code == 303
    commune = ui.get(f"/ui/communes/{NAM_NEN}").text
    open_plans = commune.split('id="open-plans"')[1].split("</ul>")[0]
    assert f'href="/ui/plans/{plan}"' in open_plans and "Công nghệ thông tin" in open_plans
    _nominate(ui, plan, "Lò Văn Pọm", ["justice"], is_leader="on")
    _nominate(ui, plan, "Đào Duy Hưng", ["information_technology"], is_leader="on")
    _nominate(ui, plan, "Cà Thị Lả", ["construction"], rating_2024="completed")
    html = ui.get(f"/ui/plans/{plan}").text
    assert "Chưa đủ điều kiện" in html
    assert _post(ui, f"/ui/plans/{plan}", f"/ui/plans/{plan}/match").status_code == 303
    html = ui.get(f"/ui/plans/{plan}").text
    assert "3/3 vị trí đã có người" in html
    assert '<svg class="bars"' in html

    view = ui.api.get(f"/v1/plans/{plan}").json()
    ids = {n["full_name"]: n["nomination_id"] for n in view["nominations"]}
    wrong = _assign(ui, plan, ids["Lò Văn Pọm"], ids["Cà Thị Lả"], ids["Lò Văn Pọm"])
    assert wrong.status_code == 422
    assert RULES["field_needed"] in wrong.text
    assert RULES["one_seat_per_official"] in wrong.text
    right = _assign(ui, plan, ids["Đào Duy Hưng"], "", ids["Lò Văn Pọm"])
    assert right.status_code == 303, right.text
    assert "2/3 vị trí đã có người" in ui.get(f"/ui/plans/{plan}").text
    right = _assign(ui, plan, ids["Đào Duy Hưng"], ids["Cà Thị Lả"], ids["Lò Văn Pọm"])
    assert right.status_code == 303, right.text

    page, action = f"/ui/plans/{plan}", f"/ui/plans/{plan}/decide"
    refused = _post(ui, page, action, **DECISION)
    assert refused.status_code == 422
    assert "Cần nêu lý do phê duyệt đặc cách" in refused.text
    override = {f"override_{ids['Cà Thị Lả']}": "Cán bộ duy nhất có chuyên môn xây dựng"}
    done = _post(ui, page, action, **DECISION, **override)
    assert done.status_code == 303, done.text
    html = ui.get(f"/ui/plans/{plan}").text
    assert "Kế hoạch so với thực tế" in html
    assert "3 hồ sơ biệt phái" in html
    assert ui.api.get(f"/v1/plans/{plan}").json()["state"] == "decided"
    assert f"/ui/plans/{plan}" not in ui.get(f"/ui/communes/{NAM_NEN}").text
    listing = ui.get("/ui/plans").text
    assert f"/ui/plans/{plan}" in listing
    ui.sign_in("commune")
    seen_by_commune = ui.get(f"/ui/plans/{plan}").text
    assert "Xã Nậm Nèn" in seen_by_commune and "Lò Văn Pọm" not in seen_by_commune


def test_an_agency_nominates_its_own_official_from_the_plan_page(live_ui: Dashboard) -> None:
    ui = live_ui
    ui.sign_in("home_affairs")
    plan = _new_plan(ui)
    assert _post(ui, f"/ui/plans/{plan}", f"/ui/plans/{plan}/open").status_code == 303
    ui.sign_in("agency")
    html = ui.get(f"/ui/plans/{plan}").text
    assert 'name="home_agency" type="text" value="Sở Khoa học và Công nghệ"' in html
    assert 'id="match"' not in html
    _nominate(ui, plan, "Đào Duy Hưng", ["information_technology"], home_agency=KHCN)
    other = _post(
        ui,
        f"/ui/plans/{plan}",
        f"/ui/plans/{plan}/nominate",
        full_name="Lò Văn Pọm",
        personnel_id="DB-TP-0099",
        home_agency="Sở Tư pháp",
        fields=["justice"],
        category="civil_servant",
        position="Chuyên viên",
        **GOOD,
    )
    assert other.status_code == 403
    assert "Không có quyền" in other.text
    view = ui.api.get(f"/v1/plans/{plan}").json()
    assert [n["home_agency"] for n in view["nominations"]] == [KHCN]
