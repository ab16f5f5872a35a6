"""Problems in Vietnamese: asked with `Accept-Language: vi`, every problem's `detail` and each
error's `message` are Vietnamese, with the same rules and fields; without it, English as before."""

from __future__ import annotations

import re
from pathlib import Path

from api.vietnamese import RULES
from tests.api.helpers import Api, assert_problem, secondment_body

ROOT = Path(__file__).resolve().parents[2]
NAMED_RULE = re.compile(r'(?:Violation\(\s*|invalid\([^()]*?,\s*|rule=)"([a-z_]+)"')
VI = {"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"}


def test_every_rule_the_code_names_has_a_vietnamese_text() -> None:
    named = set()
    for folder in ("domain", "api"):
        for path in (ROOT / folder).rglob("*.py"):
            named |= set(NAMED_RULE.findall(path.read_text()))
    named |= {"planned_on_after_arrival", "ended_on_after_arrival"}  # f"{field}_after_arrival"
    assert len(named) > 25
    assert sorted(named - RULES.keys()) == []


def test_a_broken_rule_is_answered_in_vietnamese_when_asked(api: Api) -> None:
    sid = api.create()["id"]
    body = {
        "decision": {"number": "1/QĐ", "date": "2025-10-17", "issuer": "UBND"},
        "start": "2025-10-20",
        "end": "2025-10-01",
    }
    headers = {**api.headers("home_affairs"), **VI}
    r = api.client.post(f"/v1/secondments/{sid}/approve", json=body, headers=headers)
    problem = assert_problem(r, 422)
    assert [(e["rule"], e["field"]) for e in problem["errors"]] == [("term_ordered", "end")]
    assert problem["errors"][0]["message"] == "Ngày kết thúc trước ngày bắt đầu."
    assert problem["detail"] == "Ngày kết thúc trước ngày bắt đầu."
    assert r.headers["content-language"] == "vi"
    english = api.client.post(
        f"/v1/secondments/{sid}/approve", json=body, headers=api.headers("home_affairs")
    )
    assert assert_problem(english, 422)["errors"][0]["message"] == "the term ends before it starts"


def test_input_checks_illegal_transitions_and_sign_in_in_vietnamese(api: Api) -> None:
    headers = {**api.headers("home_affairs"), **VI}
    bad = secondment_body(fields=[])
    r = api.client.post("/v1/secondments", json=bad, headers=headers)
    errors = assert_problem(r, 422)["errors"]
    assert [(e["field"], e["rule"], e["message"]) for e in errors] == [
        ("fields", "too_short", "Cần ít nhất một mục.")
    ]
    sid = api.create()["id"]
    r = api.client.post(
        f"/v1/secondments/{sid}/deploy", json={"arrived_on": "2025-10-21"}, headers=headers
    )
    problem = assert_problem(r, 409, state="requested")
    assert problem["detail"] == RULES["illegal_transition"]
    r = api.client.get("/v1/secondments", headers=VI)
    assert assert_problem(r, 401)["detail"].startswith("Cần mã truy cập hợp lệ")


def test_problems_answered_before_the_app_are_in_vietnamese_too(api: Api) -> None:
    headers = {**api.headers("home_affairs"), **VI}
    r = api.client.get("/v1/secondments?q=a%00b", headers=headers)
    problem = assert_problem(r, 422)
    assert problem["errors"][0]["message"] == RULES["no_control_characters"]
    big = {**headers, "Content-Length": str(10**9)}
    r = api.client.post("/v1/secondments", content=b"{}", headers=big)
    assert assert_problem(r, 413)["detail"] == "Nội dung gửi lên quá lớn."
