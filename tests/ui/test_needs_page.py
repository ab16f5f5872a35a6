"""A commune declares the fields it lacks from the dashboard (commune and home affairs roles)."""

from __future__ import annotations

import pytest

from tests.ui.helpers import Dashboard, hidden_fields

URL = "/ui/communes/3194/needs"


def _declare(ui: Dashboard, fields: list[str], note: str = "") -> object:
    page = ui.get(URL)
    assert page.status_code == 200, page.text
    data = {**hidden_fields(page.text, URL), "fields": fields, "note": note}
    return ui.client.post(URL, data=data, follow_redirects=False)


@pytest.mark.parametrize("role", ["commune", "home_affairs"])
def test_a_declaration_replaces_the_previous_one(live_ui: Dashboard, role: str) -> None:
    live_ui.sign_in(role)
    first = _declare(live_ui, ["construction", "justice"], "Xã có 44 cán bộ, công chức")
    assert first.status_code == 303  # type: ignore[attr-defined]
    assert first.headers["location"] == "/ui/communes/3194?done=needs"  # type: ignore[attr-defined]
    shown = live_ui.get("/ui/communes/3194?done=needs").text
    assert "Đã ghi nhận khai báo lĩnh vực còn thiếu." in shown
    assert "Tư pháp" in shown and "Xã có 44 cán bộ, công chức" in shown
    form = live_ui.get(URL).text
    assert 'value="justice" checked' in form and 'value="agriculture" checked' not in form
    _declare(live_ui, ["agriculture"])
    needs = live_ui.api.get("/v1/communes/3194").json()["needs"]
    assert needs == ["agriculture"]


def test_an_unknown_field_is_refused_and_changes_nothing(live_ui: Dashboard) -> None:
    live_ui.sign_in("commune")
    r = _declare(live_ui, ["construction", "astrology"])
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert "Hãy chọn một giá trị trong danh sách." in r.text  # type: ignore[attr-defined]
    assert live_ui.api.registry.commune_needs(3194) is None


def test_other_communes_and_roles_may_not_declare(live_ui: Dashboard) -> None:
    live_ui.sign_in("commune")
    _declare(live_ui, ["construction"])
    live_ui.sign_in("commune", ward_code=3356)
    assert live_ui.get(URL).status_code == 403
    assert 'id="declare-needs"' not in live_ui.get("/ui/communes/3194").text
    live_ui.sign_in("auditor")
    assert live_ui.get(URL).status_code == 403
    live_ui.sign_in("home_affairs")
    assert 'id="declare-needs"' in live_ui.get("/ui/communes/3194").text
