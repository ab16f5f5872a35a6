"""Bearer tokens: signature, expiry, algorithm, claims; the shared secret; the token command."""

from __future__ import annotations

import argparse
import stat
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import TokenVerifier, signing_secret
from api.settings import Settings
from tests.api.helpers import Api, assert_problem
from workers import tokens


def _claims(**overrides: Any) -> dict[str, Any]:
    exp = datetime.now(UTC) + timedelta(hours=1)
    return {"sub": "t", "role": "ministry", "exp": exp, **overrides}


def _lifecycle(api: Api, token: str) -> Any:
    return api.client.get("/v1/lifecycle", headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize(
    "header",
    [None, "Basic dXNlcjpwYXNz", "Bearer", "Bearer not.a.jwt"],
    ids=["missing", "basic", "empty", "garbage"],
)
def test_without_a_valid_token_is_401(api: Api, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    r = api.client.get("/v1/lifecycle", headers=headers)
    assert_problem(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")


def test_tokens_are_checked_for_signature_expiry_algorithm_and_claims(api: Api) -> None:
    secret = signing_secret(api.settings)
    assert _lifecycle(api, jwt.encode(_claims(), secret, algorithm="HS256")).status_code == 200
    refused = [
        jwt.encode(_claims(), "another-secret-of-enough-length-32b", algorithm="HS256"),
        jwt.encode(_claims(exp=datetime.now(UTC) - timedelta(hours=1)), secret, "HS256"),
        jwt.encode(_claims(), None, algorithm="none"),  # type: ignore[arg-type]
        jwt.encode(_claims(), secret, algorithm="HS512"),
        jwt.encode({"sub": "t", "role": "ministry"}, secret, algorithm="HS256"),
        jwt.encode(_claims(role="system"), secret, algorithm="HS256"),
        jwt.encode(_claims(role="king"), secret, algorithm="HS256"),
        jwt.encode(_claims(role="home_affairs"), secret, algorithm="HS256"),
        jwt.encode(_claims(role="commune", ward_code="3194"), secret, algorithm="HS256"),
    ]
    for token in refused:
        assert_problem(_lifecycle(api, token), 401)


def test_admin_sees_no_secondment_data(api: Api) -> None:
    sid = api.create()["id"]
    assert_problem(api.get(f"/v1/secondments/{sid}", "admin"), 403)
    assert_problem(api.get(f"/v1/secondments/{sid}/events", "admin"), 403)
    assert api.get("/v1/lifecycle", "admin").status_code == 200


def test_rs256_with_a_configured_public_key(store: Settings) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    settings = store.model_copy(update={"jwt_public_key": public.decode()})
    signed = jwt.encode(_claims(), key, algorithm="RS256")
    hs = jwt.encode(_claims(), signing_secret(settings), algorithm="HS256")
    with TestClient(create_app(settings)) as client:
        ok = client.get("/v1/lifecycle", headers={"Authorization": f"Bearer {signed}"})
        assert ok.status_code == 200
        refused = client.get("/v1/lifecycle", headers={"Authorization": f"Bearer {hs}"})
        assert_problem(refused, 401)


def test_the_generated_secret_is_kept_private_and_reused(store: Settings) -> None:
    first = signing_secret(store)
    path = store.data_dir / "jwt-secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert signing_secret(store) == first and len(first) >= 32


def test_the_token_command_prints_only_a_token_the_server_accepts(
    store: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SECONDMENTS_DATA_DIR", str(store.data_dir))
    monkeypatch.setattr("api.settings.get_settings", lambda: store)
    parser = argparse.ArgumentParser()
    tokens.add_arguments(parser)
    args = parser.parse_args(["--role", "home_affairs", "--province", "11", "--hours", "1"])
    assert tokens.run(args) == 0
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1
    principal = TokenVerifier(store).principal(printed.strip())
    assert (principal.role.value, principal.province_code) == ("home_affairs", 11)


def _epoch(hours: float) -> float:
    return (datetime.now(UTC) + timedelta(hours=hours)).timestamp()


@pytest.mark.parametrize(
    ("overrides", "detail"),
    [
        ({"sub": ""}, "sub claim must be a non-empty string"),
        ({"sub": "   "}, "sub claim must be a non-empty string"),
        ({"sub": 42}, "not valid"),
        ({"exp": str(int(_epoch(1)))}, "exp claim must be an integer"),
        ({"exp": _epoch(1)}, "exp claim must be an integer"),
        ({"exp": 1e20}, "exp claim must be an integer"),
        ({"exp": True}, "expired"),
        ({"exp": int(_epoch(25))}, "longest lifetime"),
        ({"exp": 10**20}, "longest lifetime"),
        ({"role": "agency", "home_agency": "Sở Nội vụ"}, "needs the province_code claim"),
    ],
    ids=[
        "empty-sub",
        "blank-sub",
        "int-sub",
        "str-exp",
        "float-exp",
        "huge-float-exp",
        "bool-exp",
        "too-long",
        "huge-int-exp",
        "agency-without-province",
    ],
)
def test_loose_tokens_are_refused(api: Api, overrides: dict[str, Any], detail: str) -> None:
    token = jwt.encode(_claims(**overrides), signing_secret(api.settings), algorithm="HS256")
    body = assert_problem(_lifecycle(api, token), 401)
    assert detail in body["detail"], body
    assert api.registry.recorder.max_notification_id() in (None, 0)


def test_token_lifetime_is_capped_by_the_setting(store: Settings) -> None:
    settings = store.model_copy(update={"jwt_max_lifetime_hours": 48})
    secret = signing_secret(settings)
    with TestClient(create_app(settings)) as client:
        for hours, status in ((47, 200), (49, 401)):
            token = jwt.encode(_claims(exp=int(_epoch(hours))), secret, algorithm="HS256")
            r = client.get("/v1/lifecycle", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == status, (hours, r.text)
    exact = jwt.encode(_claims(exp=int(_epoch(1))), secret, algorithm="HS256")
    agency = {"role": "agency", "home_agency": "Sở Nội vụ", "province_code": 11}
    assert TokenVerifier(settings).principal(exact).sub == "t"
    scoped = jwt.encode(_claims(**agency), secret, algorithm="HS256")
    assert TokenVerifier(settings).principal(scoped).province_code == 11


def test_the_token_command_refuses_a_lifetime_the_server_would_refuse(
    store: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("api.settings.get_settings", lambda: store)
    parser = argparse.ArgumentParser()
    tokens.add_arguments(parser)
    args = parser.parse_args(["--role", "ministry", "--hours", "100"])
    with pytest.raises(SystemExit, match="SECONDMENTS_JWT_MAX_LIFETIME_HOURS"):
        tokens.run(args)
