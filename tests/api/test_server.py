"""The real server process: `secondments serve` on a free port, driven over a socket."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.settings import Settings
from tests.api.helpers import BODIES, secondment_body

COMMAND = Path(sys.executable).parent / "secondments"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _environment(store: Settings) -> dict[str, str]:
    env = {**os.environ, "SECONDMENTS_DATA_DIR": str(store.data_dir)}
    if store.database_url:
        env["SECONDMENTS_DATABASE_URL"] = store.database_url
        env["SECONDMENTS_DB_SCHEMA"] = store.db_schema or ""
    return env


@pytest.fixture
def server(store: Settings) -> Iterator[tuple[str, dict[str, str]]]:
    port, env = _free_port(), _environment(store)
    process = subprocess.Popen(
        [str(COMMAND), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            if process.poll() is not None:
                break
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not become ready")
        yield url, env
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=15)
        said = errors.decode(errors="replace")
        assert process.returncode in (0, -signal.SIGTERM), said
        assert "Application shutdown complete" in said, said


def _token(env: dict[str, str], *args: str) -> dict[str, str]:
    done = subprocess.run(
        [str(COMMAND), "token", *args], env=env, capture_output=True, text=True, check=True
    )
    return {"Authorization": f"Bearer {done.stdout.strip()}"}


def test_one_lifecycle_over_a_socket(server: tuple[str, dict[str, str]]) -> None:
    url, env = server
    ministry = _token(env, "--role", "ministry")
    commune = _token(env, "--role", "commune", "--ward", "3194")
    body = secondment_body()
    official = _token(env, "--role", "official", "--personnel-id", body["official"]["personnel_id"])
    with httpx.Client(base_url=url, timeout=10) as client:
        created = client.post("/v1/secondments", json=body, headers=ministry)
        assert created.status_code == 201, created.text
        sid = created.json()["id"]
        for action, headers in (
            ("approve", ministry),
            ("deploy", commune),
            ("reports", official),
            ("handover", official),
            ("end", commune),
        ):
            r = client.post(f"/v1/secondments/{sid}/{action}", json=BODIES[action], headers=headers)
            assert r.status_code == 200, (action, r.text)
        final = client.get(f"/v1/secondments/{sid}", headers=commune).json()
        assert (final["state"], final["version"]) == ("ended", 6)
        assert final["official"]["full_name"] == "Đào Duy Hưng"
