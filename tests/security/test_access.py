"""Who may see and do what, beyond tests/api/test_roles.py: every operation refuses a missing
or forged token; each scoped role meets a secondment in another ward of its own province, of
another agency, of another official, and in another province, through commands and through
every query (lists, audit, decisions, communes, reports, CSV). Out of scope is 404 or an empty
list, and no answer carries the other secondment's name or personnel id."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import mint_token, signing_secret
from api.settings import Settings
from tests.api.helpers import BODIES, Api, assert_problem, secondment_body
from tests.conftest import postgres_settings

KHCN = "Sở Khoa học và Công nghệ"


@dataclass(frozen=True)
class Posting:
    """One secondment of the fixture world, with what identifies its official."""

    sid: str
    name: str
    personnel_id: str
    decision: str
    ward: int
    note: str


def _posting(api: Api, name: str, host: dict[str, Any], agency: str, decision: str) -> Posting:
    pid = f"PID-{uuid.uuid4().hex[:10]}"
    official = {**secondment_body()["official"], "full_name": name, "personnel_id": pid}
    created = api.create("ministry", official=official, host=host, home_agency=agency)
    sid = created["id"]
    approve = {
        **BODIES["approve"],
        "decision": {**BODIES["approve"]["decision"], "number": decision},
    }
    for action, body, role, claims in (
        ("approve", approve, "ministry", {}),
        ("deploy", None, "ministry", {}),
        ("reports", None, "official", {"personnel_id": pid}),
        ("difficulties", None, "ministry", {}),
    ):
        r = api.act(sid, action, role, body=body, **claims)
        assert r.status_code == 200, r.text
    note = f"Xã cần cán bộ tư pháp, mã {uuid.uuid4().hex}"
    needs = {"fields": ["justice"], "note": note}
    r = api.client.put(
        f"/v1/communes/{host['ward_code']}/needs", json=needs, headers=api.headers("ministry")
    )
    assert r.status_code == 200, r.text
    return Posting(sid, name, pid, decision, host["ward_code"], note)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Api, dict[str, Posting]]]:
    """A: Nậm Nèn (Điện Biên), KHCN. C: Sam Mứn, same province, Sở Xây dựng. B: Đà Nẵng."""
    tmp = tmp_path_factory.mktemp("access")
    if request.param == "sqlite":
        settings = Settings(data_dir=tmp / "var")
    else:
        database: str = request.getfixturevalue("pg_database")
        schema = f"a_{uuid.uuid4().hex[:12]}"
        import psycopg

        with psycopg.connect(database, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        settings = postgres_settings(f"{database}?schema={schema}", tmp)
    settings = settings.model_copy(update={"run_projections": True})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        api = Api(client, settings)
        postings = {
            "A": _posting(
                api, "Đào Duy Hưng", {"province_code": 11, "ward_code": 3194}, KHCN, "1/QĐ"
            ),
            "C": _posting(
                api, "Phạm Văn Kín", {"province_code": 11, "ward_code": 3356}, "Sở Xây dựng", "2/QĐ"
            ),
            "B": _posting(
                api,
                "Lê Thị Bí Mật",
                {"province_code": 48, "ward_code": 20455},
                "Sở Nội vụ thành phố Đà Nẵng",
                "3/QĐ",
            ),
        }
        head = api.registry.recorder.max_notification_id()
        assert api.get(f"/v1/secondments?min_position={head}", "ministry").status_code == 200
        yield api, postings


CALLERS: dict[str, tuple[str, dict[str, Any], set[str]]] = {
    "commune": ("commune", {"province_code": 11, "ward_code": 3194}, {"A"}),
    "agency": ("agency", {"province_code": 11, "home_agency": KHCN}, {"A"}),
    "official": ("official", {}, {"A"}),
    "home_affairs": ("home_affairs", {"province_code": 11}, {"A", "C"}),
    "auditor": ("auditor", {"province_code": 11}, {"A", "C"}),
    "auditor-national": ("auditor", {"province_code": None}, {"A", "B", "C"}),
    "ministry": ("ministry", {}, {"A", "B", "C"}),
}
QUERIES = [
    "/v1/secondments?limit=500",
    "/v1/audit?limit=500",
    "/v1/reports/communes?limit=500",
    "/v1/reports/agencies?limit=500",
    "/v1/reports/compliance?limit=500",
    "/v1/reports/deadlines?within_days=3660&limit=500",
    "/v1/reports/difficulties?limit=500",
]
NO_AUDIT = ("commune", "agency", "official")
"""Roles that may not read the audit log."""
ATTEMPTS = [
    "/v1/secondments?province_code=48",
    "/v1/secondments?ward_code=20455",
    "/v1/secondments?ward_code=3356",
    "/v1/secondments?home_agency=Sở Xây dựng",
    "/v1/secondments?q=Bí Mật",
    "/v1/secondments?q=Kín",
    "/v1/audit?province_code=48",
    "/v1/audit?ward_code=3356",
    "/v1/audit?secondment_id={B}",
    "/v1/audit?secondment_id={C}",
    "/v1/reports/communes?province_code=48",
    "/v1/reports/communes?ward_code=3356",
    "/v1/reports/agencies?province_code=48",
    "/v1/reports/compliance?province_code=48",
    "/v1/reports/difficulties?province_code=48",
]


def _headers(api: Api, caller: str, postings: dict[str, Posting]) -> dict[str, str]:
    role, claims, _ = CALLERS[caller]
    if role == "official":
        claims = {"personnel_id": postings["A"].personnel_id}
    return api.headers(role, **claims)


def _hidden(caller: str, postings: dict[str, Posting]) -> list[Posting]:
    return [p for key, p in postings.items() if key not in CALLERS[caller][2]]


def _assert_no_trace(text: str, hidden: list[Posting], where: str) -> None:
    for p in hidden:
        for secret in (p.name, p.personnel_id, p.sid, p.note):
            assert secret not in text, f"{where} leaks {secret}"


@pytest.mark.parametrize("caller", list(CALLERS))
def test_queries_show_exactly_the_callers_scope(
    world: tuple[Api, dict[str, Posting]], caller: str
) -> None:
    api, postings = world
    headers = _headers(api, caller, postings)
    visible = {postings[k].sid for k in CALLERS[caller][2]}
    hidden = _hidden(caller, postings)
    for path in QUERIES:
        for accept in ("application/json", "text/csv"):
            r = api.client.get(path, headers={**headers, "Accept": accept})
            if path.startswith("/v1/audit") and caller in NO_AUDIT:
                assert_problem(r, 403)
                continue
            assert r.status_code == 200, (caller, path, r.text)
            _assert_no_trace(r.text, hidden, f"{caller} {path} {accept}")
            if path.startswith(("/v1/secondments", "/v1/audit")) and accept != "text/csv":
                seen = {i.get("id") or i.get("secondment_id") for i in r.json()["items"]}
                assert seen - {None} == visible, (caller, path)
    for path in ATTEMPTS:
        path = path.format(B=postings["B"].sid, C=postings["C"].sid)
        r = api.client.get(path, headers=headers)
        if path.startswith("/v1/audit") and caller in NO_AUDIT:
            assert_problem(r, 403)
            continue
        assert r.status_code == 200, (caller, path, r.text)
        _assert_no_trace(r.text, hidden, f"{caller} {path}")


@pytest.mark.parametrize("caller", list(CALLERS))
def test_out_of_scope_records_are_404_without_a_trace(
    world: tuple[Api, dict[str, Posting]], caller: str
) -> None:
    api, postings = world
    headers = _headers(api, caller, postings)
    for p in _hidden(caller, postings):
        for path in (
            f"/v1/secondments/{p.sid}",
            f"/v1/secondments/{p.sid}/events",
            f"/v1/secondments/{p.sid}?version=1",
            f"/v1/decisions?number={p.decision}",
            f"/v1/communes/{p.ward}",
        ):
            r = api.client.get(path, headers=headers)
            assert_problem(r, 404)
            _assert_no_trace(r.text, [p], f"{caller} {path}")
    for key in CALLERS[caller][2]:
        p = postings[key]
        assert api.client.get(f"/v1/secondments/{p.sid}", headers=headers).status_code == 200
        r = api.client.get(f"/v1/decisions?number={p.decision}", headers=headers)
        assert r.status_code == 200, r.text
        _assert_no_trace(r.text, _hidden(caller, postings), f"{caller} decision")


COMMANDS = {
    "commune": "difficulties",
    "agency": "recall",
    "official": "difficulties",
    "home_affairs": "extend",
    "auditor": None,
    "auditor-national": None,
    "ministry": "extend",
}


@pytest.mark.parametrize("caller", list(CALLERS))
def test_commands_out_of_scope_are_404_and_record_nothing(
    world: tuple[Api, dict[str, Posting]], caller: str
) -> None:
    api, postings = world
    headers = {**_headers(api, caller, postings), "If-Match": '"999"'}
    before = api.registry.recorder.max_notification_id()
    action = COMMANDS[caller] or "extend"
    for key, p in postings.items():
        r = api.client.post(
            f"/v1/secondments/{p.sid}/{action}", json=BODIES[action], headers=headers
        )
        if COMMANDS[caller] is None:
            assert_problem(r, 403)
        elif key in CALLERS[caller][2]:
            assert_problem(r, 412)
        else:
            assert_problem(r, 404)
            _assert_no_trace(r.text, [p], f"{caller} {action}")
    decision = {**BODIES["approve"], "secondment_ids": [postings["B"].sid]}
    r = api.client.post("/v1/decisions", json=decision, headers=headers)
    # those who may decide are told the out-of-scope or already approved secondment is not
    # one they can approve; the others may not decide at all
    assert_problem(r, 422 if caller in ("home_affairs", "ministry") else 403)
    _assert_no_trace(r.text, [postings["B"]] if caller != "ministry" else [], caller)
    assert api.registry.recorder.max_notification_id() == before


def test_admin_reads_no_secondment_data(world: tuple[Api, dict[str, Posting]]) -> None:
    api, postings = world
    for path in [*QUERIES, f"/v1/secondments/{postings['A'].sid}", "/v1/decisions?number=1/QĐ"]:
        assert_problem(api.get(path, "admin"), 403)
    status = api.get("/v1/projections", "admin")
    assert status.status_code == 200
    _assert_no_trace(status.text, list(postings.values()), "projections")


# -- tokens ------------------------------------------------------------------------------------


def _claims(**overrides: Any) -> dict[str, Any]:
    exp = datetime.now(UTC) + timedelta(hours=1)
    return {"sub": "t", "role": "ministry", "exp": exp, **overrides}


def _operations(api: Api) -> Iterator[tuple[str, str]]:
    dummy = {"secondment_id": str(uuid.uuid4()), "number": "1", "ward_code": "3194", "name": "x"}
    dummy["personnel_id"] = "DB-X-1"
    ids = str(uuid.uuid4())  # any other record's id (working groups, plans…)
    for path, operations in api.client.get("/openapi.json").json()["paths"].items():
        if path in ("/healthz", "/readyz"):
            continue
        for method in operations:
            yield method.upper(), re.sub(r"\{(\w+)\}", lambda m: dummy.get(m.group(1), ids), path)


def test_every_operation_refuses_missing_and_forged_tokens(api: Api) -> None:
    secret = signing_secret(api.settings)
    forged = [
        None,
        jwt.encode(_claims(), "a-different-secret-of-thirty-two-bytes", algorithm="HS256"),
        jwt.encode(_claims(exp=datetime.now(UTC) - timedelta(minutes=5)), secret, "HS256"),
        jwt.encode(_claims(), None, algorithm="none"),  # type: ignore[arg-type]
        jwt.encode({k: v for k, v in _claims().items() if k != "sub"}, secret, "HS256"),
        jwt.encode({k: v for k, v in _claims().items() if k != "role"}, secret, "HS256"),
        jwt.encode(_claims(nbf=datetime.now(UTC) + timedelta(hours=1)), secret, "HS256"),
        jwt.encode(_claims(role="commune"), secret, "HS256"),
        jwt.encode(_claims(role="official"), secret, "HS256"),
        jwt.encode(_claims(role="agency", province_code=11), secret, "HS256"),
    ]
    valid = jwt.encode(_claims(), secret, "HS256")
    head, payload, signature = valid.split(".")
    forged.append(f"{head}.{payload}.")
    forged.append(f"{head}.{payload}.{signature[::-1]}")
    before = api.registry.recorder.max_notification_id()
    for method, path in _operations(api):
        for token in forged:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            r = api.client.request(method, path, headers=headers, json={})
            assert_problem(r, 401)
            assert r.headers["www-authenticate"].startswith("Bearer")
    assert api.registry.recorder.max_notification_id() == before


def test_with_rs256_configured_no_hs256_or_confused_token_passes(store: Settings) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    settings = store.model_copy(update={"jwt_public_key": public, "jwt_issuer": "idp.gov.vn"})
    secret = signing_secret(settings)
    good = jwt.encode(_claims(iss="idp.gov.vn"), key, algorithm="RS256")
    refused = [
        jwt.encode(_claims(iss="idp.gov.vn"), secret, algorithm="HS256"),
        jwt.encode(_claims(iss="idp.gov.vn"), other, algorithm="RS256"),
        jwt.encode(_claims(iss="someone-else"), key, algorithm="RS256"),
        jwt.encode(_claims(), key, algorithm="RS256"),
        jwt.encode(_claims(iss="idp.gov.vn"), None, algorithm="none"),  # type: ignore[arg-type]
    ]
    confused = jwt.api_jws.PyJWS(algorithms=["HS256"])
    confused._algorithms["HS256"].prepare_key = lambda k: k  # the public key as an HMAC secret
    refused.append(
        confused.encode(
            jwt.utils.force_bytes(
                __import__("json").dumps({**_claims(iss="idp.gov.vn"), "exp": 4102444800})
            ),
            public.encode(),
            algorithm="HS256",
        )
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        ok = client.get("/v1/lifecycle", headers={"Authorization": f"Bearer {good}"})
        assert ok.status_code == 200, ok.text
        for token in refused:
            r = client.get("/v1/secondments", headers={"Authorization": f"Bearer {token}"})
            assert_problem(r, 401)
    with pytest.raises(RuntimeError):
        mint_token(settings, {"sub": "x", "role": "ministry"})


def test_tokens_are_read_from_the_header_only(api: Api) -> None:
    token = api.token("ministry")
    assert_problem(api.client.get(f"/v1/secondments?access_token={token}"), 401)
    api.client.cookies.set("access_token", token)
    try:
        assert_problem(api.client.get("/v1/secondments"), 401)
    finally:
        api.client.cookies.clear()
