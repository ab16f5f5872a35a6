"""Oversized headers and tokens are answered at once (431, 401), before anything decodes them,
and the signature check runs off the event loop: /healthz stays fast while they come in."""

from __future__ import annotations

import contextlib
import socket
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx
import jwt
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import signing_secret
from api.settings import Settings
from tests.api.helpers import Api, assert_problem
from tests.api.test_server import _environment, serving

KIB = 1024
FORGED = "eyJhbGciOiJIUzI1NiJ9." + "A" * (16 * KIB * KIB) + ".sig"
REQUEST = (
    f"GET /v1/lifecycle HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {FORGED}\r\n"
    "Connection: close\r\n\r\n"
).encode()


def test_limits_over_http(api: Api) -> None:
    client = api.client
    secret = signing_secret(api.settings)
    padded = {"sub": "t", "role": "ministry", "exp": int(time.time()) + 600, "pad": "x" * 6000}
    just_under = jwt.encode(padded, secret, algorithm="HS256")
    assert len(just_under) < 8 * KIB
    ok = client.get("/v1/lifecycle", headers={"Authorization": f"Bearer {just_under}"})
    assert ok.status_code == 200, ok.text
    over = jwt.encode({**padded, "pad": "x" * 7000}, secret, algorithm="HS256")
    assert 8 * KIB < len(over) < 16 * KIB
    refused = client.get("/v1/lifecycle", headers={"Authorization": f"Bearer {over}"})
    assert "8192 bytes" in assert_problem(refused, 401)["detail"]
    assert refused.headers["www-authenticate"].startswith("Bearer")
    many = {f"x-filler-{i}": "y" * 1000 for i in range(17)}
    body = assert_problem(client.get("/healthz", headers=many), 431)
    assert "16384 bytes" in body["detail"]
    assert client.get("/healthz", headers=dict(list(many.items())[:14])).status_code == 200


def test_the_dashboard_refuses_an_oversized_token_too(store: Settings) -> None:
    claims = {"sub": "t", "role": "ministry", "exp": int(time.time()) + 600, "pad": "x" * 7000}
    signed = jwt.encode(claims, signing_secret(store), algorithm="HS256")
    with TestClient(create_app(store)) as client:
        page = client.get("/ui/sign-in").text
        csrf = page.split('name="csrf" value="')[1].split('"')[0]
        r = client.post("/ui/sign-in", data={"csrf": csrf, "token": signed}, follow_redirects=False)
        assert r.status_code == 422 and "Mã truy cập không hợp lệ" in r.text


def _forged_request(url: str) -> str:
    """One request with the 16 MB token, sent from bytes made once (so that the test's own
    threads hardly hold the interpreter lock while /healthz is timed): its status, or "closed"
    when the server refused and closed before this end could read the answer."""
    where = urlparse(url)
    with socket.create_connection((where.hostname, where.port), timeout=30) as conn:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            conn.sendall(REQUEST)  # the server may answer and close before reading it all
        try:
            answer = conn.recv(64)
        except ConnectionResetError:
            return "closed"
    return answer.split()[1].decode() if answer else "closed"


def test_healthz_stays_fast_while_huge_headers_come_in(tmp_path: Path) -> None:
    env = _environment(Settings(data_dir=tmp_path / "var"))
    with serving(env) as (url, _):
        statuses: list[str] = []
        stop = threading.Event()

        def flood() -> None:
            while not stop.is_set():
                statuses.append(_forged_request(url))

        floods = [threading.Thread(target=flood) for _ in range(4)]
        for t in floods:
            t.start()
        waits = []
        try:
            with httpx.Client(base_url=url, timeout=30) as client:
                deadline = time.monotonic() + 3
                while time.monotonic() < deadline or len(statuses) < 8:
                    started = time.perf_counter()
                    assert client.get("/healthz").status_code == 200
                    waits.append(time.perf_counter() - started)
                    time.sleep(0.02)
        finally:
            stop.set()
            for t in floods:
                t.join()
    print(
        f"healthz under flood: median {statistics.median(waits) * 1000:.1f} ms, "
        f"max {max(waits) * 1000:.1f} ms over {len(waits)}; {len(statuses)} forged requests"
    )
    assert "431" in statuses and set(statuses) <= {"431", "closed"}, statuses
    assert statistics.median(waits) < 0.1 and max(waits) < 1.0, waits
