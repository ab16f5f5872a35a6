"""The verified-token cache: a token is checked once, kept until its `exp` (at most five
minutes), and only tokens the verifier accepted are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.auth import TokenVerifier, mint_token
from api.errors import ApiProblem
from api.settings import Settings
from api.tokencache import MAX_SECONDS, VerifiedTokens, expiry
from tests.api.helpers import Api, assert_problem


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def settings(tmp_path: Path, secret: str) -> Settings:
    return Settings(data_dir=tmp_path, jwt_secret=secret)


def test_a_kept_token_is_verified_again_after_its_expiry(tmp_path: Path) -> None:
    issuer = settings(tmp_path, "a" * 48)
    token = mint_token(issuer, {"sub": "hr-11", "role": "home_affairs", "province_code": 11})
    clock = Clock(expiry(token) - 120)
    tokens = VerifiedTokens(TokenVerifier(issuer), clock)
    assert tokens.principal(token).sub == "hr-11"
    tokens.verifier = TokenVerifier(settings(tmp_path, "b" * 48))  # the old key is revoked
    assert tokens.principal(token).province_code == 11  # kept: not checked again
    clock.now = expiry(token)
    with pytest.raises(ApiProblem) as refused:
        tokens.principal(token)
    assert refused.value.status == 401


def test_a_kept_token_is_verified_again_after_five_minutes(tmp_path: Path) -> None:
    issuer = settings(tmp_path, "a" * 48)
    token = mint_token(issuer, {"sub": "m", "role": "ministry"}, hours=2)
    clock = Clock(expiry(token) - 3600)
    tokens = VerifiedTokens(TokenVerifier(issuer), clock)
    tokens.principal(token)
    tokens.verifier = TokenVerifier(settings(tmp_path, "b" * 48))
    clock.now += MAX_SECONDS - 1
    assert tokens.principal(token).sub == "m"
    clock.now += 1
    with pytest.raises(ApiProblem):
        tokens.principal(token)


def test_refused_tokens_are_never_kept(api: Api) -> None:
    tokens: VerifiedTokens = api.client.app.state.tokens  # type: ignore[attr-defined]
    forged = api.token("ministry")[:-4] + "AAAA"
    for _ in range(2):
        r = api.client.get("/v1/secondments", headers={"Authorization": f"Bearer {forged}"})
        assert_problem(r, 401)
    assert forged not in tokens.kept
    assert api.get("/v1/secondments", "ministry").status_code == 200
    assert len(tokens.kept) == 1
