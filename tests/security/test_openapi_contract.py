"""The OpenAPI document states what the server enforces (cursor, If-Match, the characters a text
may hold, the states a filter may name), and the server keeps to it: bidi controls in names and
texts, unknown states, foreign cursors and If-Match values are 422; a 405 names every method."""

from __future__ import annotations

import re
from typing import Any

import pytest

from api.ui.messages import FieldError
from tests.api.helpers import BODIES, Api, assert_problem, problem_rules, secondment_body

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


def _head(api: Api) -> int:
    return int(api.registry.recorder.max_notification_id() or 0)


def _document(api: Api) -> dict[str, Any]:
    document: dict[str, Any] = api.client.get("/openapi.json").json()
    return document


def _parameter(api: Api, path: str, method: str, name: str) -> dict[str, Any]:
    operation = _document(api)["paths"][path][method]
    found: dict[str, Any] = next(p for p in operation["parameters"] if p["name"] == name)
    return found


def _string_schema(parameter: dict[str, Any]) -> dict[str, Any]:
    """The keywords that apply to a string value (from `anyOf` and around it)."""
    schema: dict[str, Any] = parameter["schema"]
    string = next((s for s in schema.get("anyOf", []) if s.get("type") == "string"), {})
    return {**schema, **string}


@pytest.mark.parametrize("mark", BIDI)
def test_bidi_controls_in_names_and_texts_are_422(api: Api, mark: str) -> None:
    before = _head(api)
    official = {**secondment_body()["official"], "full_name": f"Đào{mark}Duy Hưng"}
    r = api.client.post(
        "/v1/secondments",
        json=secondment_body(official=official, reason=f"Xã thiếu cán bộ{mark}"),
        headers=api.headers("home_affairs"),
    )
    assert problem_rules(r) == {
        ("no_bidi_controls", "official.full_name"),
        ("no_bidi_controls", "reason"),
    }
    assert "U+202A" in r.json()["detail"]
    assert _head(api) == before
    assert "ký tự điều khiển hướng chữ" in FieldError("reason", "no_bidi_controls").message


def test_bidi_controls_are_refused_in_command_texts(api: Api) -> None:
    sid = api.create()["id"]
    before = _head(api)
    r = api.act(sid, "reject", body={"reason": "gnp.\u202eexe"})
    assert problem_rules(r) == {("no_bidi_controls", "reason")}
    assert _head(api) == before


def test_unknown_states_are_422_and_the_document_lists_the_states(api: Api) -> None:
    r = api.get("/v1/secondments?state=approved&state=nope")
    assert problem_rules(r) == {("enum", "state[1]")}
    assert api.get("/v1/secondments?state=approved&state=ended").status_code == 200
    states = _document(api)["components"]["schemas"]["State"]["enum"]
    assert states == [
        "requested", "approved", "deployed", "reporting", "handover", "ended", "rejected",
        "withdrawn",
    ]  # fmt: skip


def test_a_405_names_every_method_of_the_path(api: Api) -> None:
    r = api.client.put("/v1/secondments", headers=api.headers("ministry"))
    assert_problem(r, 405)
    assert r.headers["allow"] == "GET, POST"
    r = api.client.delete("/healthz")
    assert_problem(r, 405)
    assert r.headers["allow"] == "GET"


def test_cursors_are_documented_and_checked_alike(api: Api) -> None:
    cursor = _string_schema(_parameter(api, "/v1/secondments", "get", "cursor"))
    assert cursor["maxLength"] == 512
    for sent, taken in (("eyJzZXEiOjF9", True), ("a.b", False), ("a b", False), ("ab==", False)):
        assert bool(re.fullmatch(cursor["pattern"], sent)) is taken
        r = api.get(f"/v1/secondments?cursor={sent}")
        assert (r.status_code == 200) is taken, (sent, r.text)
        if not taken:
            assert "cursor" in {e["field"] for e in assert_problem(r, 422)["errors"]}


def test_if_match_is_documented_and_checked_alike(api: Api) -> None:
    path = "/v1/secondments/{secondment_id}/approve"
    schema = _string_schema(_parameter(api, path, "post", "If-Match"))
    sid = api.create()["id"]
    for sent, status in (('"2"', 412), ('W/"2"', 412), ('"\u00b2"', 422), ('"1x"', 422)):
        assert bool(re.fullmatch(schema["pattern"], sent)) is (status != 422), sent
        r = api.client.post(
            f"/v1/secondments/{sid}/approve",
            json=BODIES["approve"],
            headers={**api.headers("home_affairs"), "If-Match": sent.encode("latin-1")},
        )
        assert r.status_code == status, (sent, r.text)
    assert api.act(sid, "approve", headers={"If-Match": '"1"'}).status_code == 200


@pytest.mark.parametrize(
    ("text", "taken"),
    [
        ("Đào Duy Hưng", True),
        ("Dòng một\nDòng hai\tcột", True),
        ("   ", False),
        ("chuông\x07", False),
        ("\u202eexe.png", False),
        ("trái\u2067phải", False),
    ],
)
def test_text_patterns_state_what_the_server_accepts(api: Api, text: str, taken: bool) -> None:
    pattern = _document(api)["components"]["schemas"]["ReasonBody"]["properties"]["reason"][
        "pattern"
    ]
    assert bool(re.fullmatch(pattern, text)) is taken
    sid = api.create()["id"]
    r = api.act(sid, "reject", body={**BODIES["reject"], "reason": text})
    assert (r.status_code == 200) is taken, r.text
