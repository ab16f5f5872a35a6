"""Signing in to the dashboard: the cookie, the CSRF tokens, expiry, sign-out, the demo roles."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import mint_token
from api.settings import Settings
from api.ui import session
from tests.ui.helpers import Dashboard, hidden_fields
from workers import demo


def test_pages_need_a_session_and_return_to_where_they_were(ui: Dashboard) -> None:
    r = ui.get("/ui/lifecycle")
    assert r.status_code == 303
    assert r.headers["location"] == "/ui/sign-in?next=/ui/lifecycle"
    ui.sign_in("home_affairs")
    assert ui.get("/ui/lifecycle").status_code == 200


def test_the_token_is_kept_in_an_httponly_strict_cookie(ui: Dashboard) -> None:
    page = ui.client.get("/ui/sign-in?next=/ui/lifecycle")
    assert '<html lang="vi">' in page.text
    fields = hidden_fields(page.text, "/ui/sign-in")
    token = ui.api.token("auditor")
    r = ui.client.post("/ui/sign-in", data={**fields, "token": token}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/ui/lifecycle")
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith("sr_session="))
    assert token in cookie
    for attribute in ("HttpOnly", "SameSite=strict", "Path=/ui", "Max-Age="):
        assert attribute.lower() in cookie.lower(), cookie


def test_a_bad_token_is_refused_in_vietnamese(ui: Dashboard) -> None:
    fields = hidden_fields(ui.client.get("/ui/sign-in").text, "/ui/sign-in")
    r = ui.client.post("/ui/sign-in", data={**fields, "token": "not-a-token"})
    assert r.status_code == 422
    assert "Mã truy cập không hợp lệ." in r.text
    assert "sr_session=" not in r.headers.get("set-cookie", "")
    expired = mint_token(ui.api.settings, {"sub": "x", "role": "ministry"}, hours=-1)
    r = ui.client.post("/ui/sign-in", data={**fields, "token": expired})
    assert "Mã truy cập đã hết hạn." in r.text


def test_sign_in_needs_the_nonce_cookie_and_its_token(ui: Dashboard) -> None:
    fields = hidden_fields(ui.client.get("/ui/sign-in").text, "/ui/sign-in")
    token = ui.api.token("ministry")
    r = ui.client.post("/ui/sign-in", data={**fields, "csrf": "forged", "token": token})
    assert r.status_code == 403
    assert "Yêu cầu bị từ chối" in r.text
    ui.client.cookies.clear()
    r = ui.client.post("/ui/sign-in", data={**fields, "token": token})
    assert r.status_code == 403


def test_a_lapsed_session_goes_back_to_sign_in(ui: Dashboard) -> None:
    short = mint_token(ui.api.settings, {"sub": "x", "role": "ministry"}, hours=-0.05)
    ui.client.cookies.set(session.TOKEN_COOKIE, short, path="/ui")
    r = ui.get("/ui/lifecycle")
    assert r.status_code == 303
    assert r.headers["location"].endswith("&reason=expired")
    assert "Phiên đăng nhập đã hết hạn" in ui.client.get(r.headers["location"]).text


def test_next_never_leaves_the_dashboard(ui: Dashboard) -> None:
    for target in ("https://evil.example/", "//evil.example/ui", "/v1/secondments"):
        page = ui.client.get("/ui/sign-in", params={"next": target})
        fields = hidden_fields(page.text, "/ui/sign-in")
        assert fields["next"] == "/ui"
        token = ui.api.token("ministry")
        r = ui.client.post(
            "/ui/sign-in", data={**fields, "next": target, "token": token}, follow_redirects=False
        )
        assert r.headers["location"] == "/ui"


def test_sign_out_forgets_the_token_and_needs_the_csrf_token(ui: Dashboard) -> None:
    ui.sign_in("ministry")
    page = ui.get("/ui/lifecycle").text
    fields = hidden_fields(page, "/ui/sign-out")
    assert ui.client.post("/ui/sign-out", data={"csrf": "x"}).status_code == 403
    r = ui.client.post("/ui/sign-out", data=fields, follow_redirects=False)
    assert r.headers["location"] == "/ui/sign-in?reason=signed_out"
    assert 'sr_session=""' in r.headers["set-cookie"] or "Max-Age=0" in r.headers["set-cookie"]
    ui.client.cookies.clear()
    assert ui.get("/ui/lifecycle").status_code == 303


def test_pages_send_security_headers_and_are_not_cached(ui: Dashboard) -> None:
    ui.sign_in("ministry")
    r = ui.get("/ui/lifecycle")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "http://" not in r.text.replace("http://www.w3.org/2000/svg", "")


def test_static_assets_are_served_from_the_package(ui: Dashboard) -> None:
    css = ui.get("/ui/static/app.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert ui.get("/ui/static/app.js").headers["content-type"].startswith("text/javascript")
    assert ui.get("/ui/static/..%2Fpages.py").status_code == 404
    assert ui.get("/ui/static/nothing.css").status_code == 404


def test_demo_data_alone_offers_no_demo_sign_in(ui: Dashboard) -> None:
    demo.load(ui.api.registry)
    page = ui.client.get("/ui/sign-in").text
    assert 'data-role="' not in page and 'name="token" value="' not in page


def test_demo_mode_offers_a_sign_in_per_role(store: Settings) -> None:
    settings = store.model_copy(update={"demo_sign_in": True})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        page = client.get("/ui/sign-in").text
        for role in [claims["role"] for _, claims in demo.TOKENS]:
            assert f'data-role="{role}"' in page
        start = page.index('data-role="official"')
        token_start = page.rindex('name="token" value="', 0, start) + len('name="token" value="')
        token = page[token_start : page.index('"', token_start)]
        principal = client.app.state.tokens.principal(token)  # type: ignore[attr-defined]
        assert principal.personnel_id == "DB-KHCN-0001"


def test_the_demo_roles_are_the_demo_commands_roles() -> None:
    assert [c for _, c in session.DEMO_ROLES] == [c for _, c in demo.TOKENS]


def test_csrf_token_belongs_to_one_session(ui: Dashboard) -> None:
    ui.sign_in("ministry")
    first = hidden_fields(ui.get("/ui/lifecycle").text, "/ui/sign-out")["csrf"]
    time.sleep(1.1)
    ui.sign_in("ministry")
    second = hidden_fields(ui.get("/ui/lifecycle").text, "/ui/sign-out")["csrf"]
    assert first != second
    assert ui.client.post("/ui/sign-out", data={"csrf": first}).status_code == 403


def test_the_lifecycle_page_draws_each_kind_of_record_from_its_declaration(ui: Dashboard) -> None:
    ui.sign_in("home_affairs")
    page = ui.get("/ui/lifecycle?of=working_group").text
    assert "Vòng đời tổ công tác" in page and "<svg" in page
    row = page.split('<th scope="row">Ghi nhận chuyến làm việc</th>')[1].split("</tr>")[0]
    assert "Đang hoạt động" in row and "Được thực hiện" in row
    assert 'href="/ui/lifecycle?of=plan"' in page and 'href="/ui/lifecycle?of=study_visit"' in page
    ui.sign_in("official")
    row = ui.get("/ui/lifecycle?of=working_group").text.split("Ghi nhận chuyến làm việc</th>")[1]
    assert "Được thực hiện" not in row.split("</tr>")[0]
    assert ui.get("/ui/lifecycle?of=nothing").status_code == 404
