"""Health, readiness, request ids, unexpected errors, the lifecycle document, and OpenAPI."""

from __future__ import annotations

import logging

import pytest

from api.storage import Database
from domain import lifecycle
from domain.plan_lifecycle import PLAN
from tests.api.helpers import Api, assert_problem


def test_health_and_readiness_need_no_token(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    assert api.client.get("/readyz").json() == {"status": "ready"}


def test_readiness_is_503_when_the_database_does_not_answer(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Database, "ping", lambda self: False)
    r = api.client.get("/readyz")
    assert_problem(r, 503)
    assert r.headers["retry-after"]


def test_request_ids_are_taken_or_made_and_returned(api: Api) -> None:
    given = api.client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = api.client.get("/healthz", headers={"X-Request-ID": "bad id\n"})
    assert len(made.headers["x-request-id"]) == 32


def test_an_unexpected_error_is_a_500_without_internals_logged_with_its_id(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    sid = api.create()["id"]

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals: Đào Duy Hưng")

    monkeypatch.setattr(api.registry, "get", explode)
    with caplog.at_level(logging.INFO):
        r = api.client.get(f"/v1/secondments/{sid}", headers={**api.headers("ministry")})
    body = assert_problem(r, 500)
    assert "internals" not in r.text and body["request_id"] == r.headers["x-request-id"]
    logged = [rec for rec in caplog.records if rec.name == "secondments.http"]
    assert any(body["request_id"] in rec.getMessage() for rec in logged)


def test_request_logs_carry_no_names_or_personnel_ids(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        created = api.create()
        api.get(f"/v1/secondments/{created['id']}?q=Đào Duy Hưng")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "Đào" not in text and created["official"]["personnel_id"] not in text
    assert "Hưng" not in text


def test_unknown_routes_are_problems(api: Api) -> None:
    assert_problem(api.client.get("/v1/nothing-here"), 404)


def test_the_lifecycle_document(api: Api) -> None:
    body = api.get("/v1/lifecycle", "auditor").json()
    assert body["mermaid"] == lifecycle.mermaid()
    assert body["mermaid"].startswith("stateDiagram-v2")
    assert {"action": "approve", "from": ["requested"], "to": "approved"}.items() <= (
        body["transitions"][0].items()
    )
    assert "eligible_or_overridden" in body["guards"]
    assert body["roles"]["official"] == [
        "correct",
        "escalate_difficulty",
        "handover",
        "raise_difficulty",
        "read",
        "report",
    ]


def test_the_openapi_document_declares_security_errors_and_examples(api: Api) -> None:
    doc = api.client.get("/openapi.json").json()
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            for code, response in operation["responses"].items():
                if int(code) >= 400:
                    assert set(response["content"]) == {"application/problem+json"}, (path, code)
            if path in ("/healthz", "/readyz"):
                continue
            assert operation["security"] == [{"HTTPBearer": []}], (path, method)
            assert {"401", "500"} <= codes, (path, method)
            if method in ("post", "put"):
                assert {"403", "413", "422"} <= codes, (path, method)
                content = operation["requestBody"]["content"]
                if "multipart/form-data" in content:  # a file upload (a list to import)
                    form = content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
                    fields = doc["components"]["schemas"][form]["properties"]
                    assert fields["file"].get("description"), path
                    continue
                schema = content["application/json"]["schema"]
                name = schema["$ref"].rsplit("/", 1)[1]
                assert doc["components"]["schemas"][name].get("examples"), name
    create = doc["components"]["schemas"]["SecondmentCreate"]["examples"][0]
    assert create["official"]["full_name"] == "Đào Duy Hưng"


def test_every_declared_kind_of_record_has_its_lifecycle_document(api: Api) -> None:
    body = api.get("/v1/lifecycle?of=plan", "auditor").json()
    assert body["mermaid"] == PLAN.mermaid()
    assert (body["initial"], body["final"]) == ("drafting", ["decided", "cancelled"])
    assert body["roles"]["agency"] == ["nominate", "read_plan"]
    assert "decide" in body["roles"]["home_affairs"] and "approve" not in body["roles"]["ministry"]
    assert api.get("/v1/lifecycle?of=study_visit", "commune").json()["initial"] == "proposed"
    assert api.get("/v1/lifecycle?of=secondment", "auditor").json() == (
        api.get("/v1/lifecycle", "auditor").json()
    )
    assert_problem(api.get("/v1/lifecycle?of=nothing", "auditor"), 422)
